"""Retrieval: offline embeddings, a Chroma index per kind, hybrid dense + BM25 search."""
