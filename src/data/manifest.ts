// The open-data files the workbench reads: where each one is, what its header must be, how many rows it has,
// and its published checksum. The loaders check every file against this list before parsing it.

export type DatasetId = "onet-29.3" | "ons-soc2020" | "melo-usa_q_en_c_en";

export interface DataFile {
  key: string;
  dataset: DatasetId;
  /** File names tried in order inside the dataset folder: the shared copy, then the official text edition's. */
  names: string[];
  /** Expected header, or null for files without one (MELO) or with a preamble (ISCO). */
  header: string[] | null;
  /** Expected number of data rows (lines after the header, blank lines excluded). */
  rows: number;
  sha256: string;
}

export const DATA_FILES: readonly DataFile[] = [
  {
    key: "onetOccupations",
    dataset: "onet-29.3",
    names: ["Occupation Data.txt"],
    header: ["O*NET-SOC Code", "Title", "Description"],
    rows: 1016,
    sha256: "164236c5e0f1d16bfbafe017a16f20a993948cc4b1534d1da631652c81708f0f",
  },
  {
    key: "onetAlternateTitles",
    dataset: "onet-29.3",
    names: ["Alternate Titles.tsv", "Alternate Titles.txt"],
    header: ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
    rows: 56560,
    sha256: "d8b9f9d3eb13d85f4ed7690a362fbea31fc11d1bf5460200c9abd8531cb64343",
  },
  {
    key: "onetReportedTitles",
    dataset: "onet-29.3",
    names: ["Sample of Reported Titles.txt"],
    header: ["O*NET-SOC Code", "Title", "Reported Job Title", "Shown in My Next Move"],
    rows: 7796,
    sha256: "f10deeecb490ab1df901941bbd78cdb7bf1a6691596a6946c35abb84022ceaf4",
  },
  {
    key: "onetRelatedOccupations",
    dataset: "onet-29.3",
    names: ["Related Occupations.tsv", "Related Occupations.txt"],
    header: ["O*NET-SOC Code", "Title", "Related O*NET-SOC Code", "Related Title", "Relatedness Tier", "Index"],
    rows: 18460,
    sha256: "e57e1409094b4c7d34f0cf7f5ca9fdc5c0fb4e426d1b8fadd3b080945421d961",
  },
  {
    key: "onetTechnologySkills",
    dataset: "onet-29.3",
    names: ["Technology Skills.tsv", "Technology Skills.txt"],
    header: ["O*NET-SOC Code", "Title", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"],
    rows: 32681,
    sha256: "e73975df2574326bedb01b88f08e3eb697dad8ee4b6092ff551d7c6e4bf388bf",
  },
  {
    key: "onetTaskStatements",
    dataset: "onet-29.3",
    names: ["Task Statements.tsv", "Task Statements.txt"],
    header: [
      "O*NET-SOC Code", "Title", "Task ID", "Task", "Task Type", "Incumbents Responding", "Date", "Domain Source",
    ],
    rows: 18796,
    sha256: "2fd4a8b210fe534f9b10daa4152697832488e420e41b330d5a8b486dafef0699",
  },
  {
    key: "onsCodingIndex",
    dataset: "ons-soc2020",
    names: ["soc2020_coding_index_v12.tsv"],
    header: [
      "UNIQUE ID", "RECNO", "D", "SOC_90", "SOC_2000", "SOC_2010", "SOC_2020", "SOC_2020_ext", "INDEXOCC", "ADD",
      "IND", "SEE", "ISCO-08 code based on SOC2020", "VERSNO", "CHANGE", "SOC90_unit_group_title",
      "SOC2000_unit_group_title", "SOC2010_unit_group_title", "SOC2020_unit_group_title", "SOC2020_ext_SUG_title",
      "ISCO08_unit_group_title", "INDEXOCC_-_natural_word_order",
    ],
    rows: 32195,
    sha256: "846c8221c1bdeae1a250932fbf0ecb8e41adb83df6d2a0f500ed7b9e0a3c02a7",
  },
  {
    key: "onsFramework",
    dataset: "ons-soc2020",
    names: ["soc2020_framework.tsv"],
    header: [
      "Unique ID", "SOC2020 Major Group", "SOC2020 Sub-Major Group", "SOC2020 Minor Group", "SOC2020 Unit Group",
      "SOC2020 Group Title", "Change", "VERSNO",
    ],
    rows: 551,
    sha256: "41439d1c27e493c2c86648f8774256f4067fc60617585beacfa2be488f1ab084",
  },
  {
    key: "isco08Framework",
    dataset: "ons-soc2020",
    names: ["isco08_framework.tsv"],
    header: null,
    rows: 623,
    sha256: "1ffc70b3f47917795834214085cea376b435189e65a6da86052659b59fbd5767",
  },
  {
    key: "meloQueries",
    dataset: "melo-usa_q_en_c_en",
    names: ["queries.tsv"],
    header: null,
    rows: 633,
    sha256: "cc51657de449c2048eeb7957d433c3b690695ad116f06e53a830a81014fccf6e",
  },
  {
    key: "meloCorpus",
    dataset: "melo-usa_q_en_c_en",
    names: ["corpus_elements.tsv"],
    header: null,
    rows: 33809,
    sha256: "afe1a64350ff5538e63043bdda08b8bc8d6bebc23f41946f83ec322df9c00ead",
  },
  {
    key: "meloQrels",
    dataset: "melo-usa_q_en_c_en",
    names: ["annotations.tsv"],
    header: null,
    rows: 7852,
    sha256: "9f4e42f659c0f8aa1b677097d7da187f09a3e9562ca2408099e4ac97bddcd1ca",
  },
];

/** Sources, licenses and credits, as the data README states them. */
export const DATASETS: Record<DatasetId, { name: string; license: string; credit: string; url: string }> = {
  "onet-29.3": {
    name: "O*NET 29.3 Database (May 2025)",
    license: "CC BY 4.0",
    credit:
      "O*NET 29.3 Database, U.S. Department of Labor, Employment and Training Administration (USDOL/ETA); " +
      "converted to TSV without changing content",
    url: "https://www.onetcenter.org/dl_files/database/db_29_3_text.zip",
  },
  "ons-soc2020": {
    name: "UK ONS SOC 2020 Volume 2: the coding index, version 12 (16 April 2025)",
    license: "Open Government Licence v3.0",
    credit: "Contains public sector information licensed under the Open Government Licence v3.0 (Office for National Statistics)",
    url:
      "https://www.ons.gov.uk/methodology/classificationsandstandards/standardoccupationalclassificationsoc/" +
      "soc2020/soc2020volume2codingrulesandconventions",
  },
  "melo-usa_q_en_c_en": {
    name: "MELO benchmark, task usa_q_en_c_en (Retyk et al., RecSys in HR 2024)",
    license: "MIT (Copyright (c) 2024 Avature)",
    credit: "MELO benchmark by Avature, repository Avature/melo-benchmark at 014982fef0abf5149b16e75b1043bd286ae4c98f",
    url:
      "https://raw.githubusercontent.com/Avature/melo-benchmark/014982fef0abf5149b16e75b1043bd286ae4c98f/" +
      "data/processed/melo/usa_q_en_c_en/",
  },
};

export function dataFile(key: string): DataFile {
  const f = DATA_FILES.find((d) => d.key === key);
  if (!f) throw new Error(`jtlab: unknown data file key ${key}`);
  return f;
}
