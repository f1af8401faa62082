//! fastembed's BM25 sparse embedding (model "Qdrant/bm25") and the text side of BM42.
