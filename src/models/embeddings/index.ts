// word2vec (skip-gram, negative sampling) and Doc2Vec (PV-DBOW) after gensim: train, query, infer, save and load.
// In a notebook import "./src/models/embeddings/index" (tslab resolves files, not folders).
export { DEFAULT_EMBEDDING_OPTIONS, trainDoc2Vec, trainWord2Vec } from "./train";
export type { TrainOptions } from "./train";
export { Doc2VecModel, Word2VecModel, WordVectors } from "./model";
export type { DocNeighbour, EmbeddingOptions, InferOptions, Neighbour } from "./model";
