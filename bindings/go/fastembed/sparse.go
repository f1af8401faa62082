package fastembed

/*
#include "fastembed.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// SparseAlgorithm is how a sparse model weighs terms.
type SparseAlgorithm string

const (
	// SparseSplade weighs the tokenizer's vocabulary with a learned model (indices are token ids).
	SparseSplade SparseAlgorithm = "splade"
	// SparseBM25 weighs stemmed words by term frequency (indices are word hashes); it needs no model files.
	SparseBM25 SparseAlgorithm = "bm25"
	// SparseBM42 weighs words by a model's attention (indices are word hashes).
	SparseBM42 SparseAlgorithm = "bm42"
	// SparseIfSplade is inference-free SPLADE: documents through the model, queries by the IDF table alone
	// (WithIDFFile); the model is never loaded for queries.
	SparseIfSplade SparseAlgorithm = "if_splade"
	// SparseMiniCoil is miniCOIL: BM25 whose vocabulary words carry a small meaning vector (values may be
	// negative); it needs its vocabulary, matrices and stopwords files.
	SparseMiniCoil SparseAlgorithm = "minicoil"
)

var sparseAlgorithms = map[C.enum_fe_sparse_algorithm]SparseAlgorithm{
	C.FE_SPARSE_SPLADE:    SparseSplade,
	C.FE_SPARSE_BM25:      SparseBM25,
	C.FE_SPARSE_BM42:      SparseBM42,
	C.FE_SPARSE_IF_SPLADE: SparseIfSplade,
	C.FE_SPARSE_MINICOIL:  SparseMiniCoil,
}

// SparseEmbedding is one sparse vector: Indices ascending, Values (all > 0) at the same positions.
type SparseEmbedding struct {
	Indices []uint32
	Values  []float32
}

// SparseTextEmbedding is a sparse text model (SPLADE, BM25 or BM42). Safe for concurrent use.
type SparseTextEmbedding struct {
	h         handle[C.fe_sparse_embedding]
	algorithm SparseAlgorithm
}

// NewSparseTextEmbedding loads a sparse model. With no model files it is BM25 (see WithSparseAlgorithm,
// WithLanguage, WithBM25); SPLADE and BM42 need WithModelDir or WithModelFile and WithTokenizerFile.
// Close it when done.
func NewSparseTextEmbedding(opts ...Option) (*SparseTextEmbedding, error) {
	cfg, err := load(opts, kindSparse)
	if err != nil {
		return nil, err
	}
	var ptr *C.fe_sparse_embedding
	err = cfg.withJSON(func(coptions *C.char) error {
		var cerr *C.fe_error
		return check(C.fe_sparse_embedding_new(coptions, &ptr, &cerr), cerr)
	})
	if err != nil {
		return nil, err
	}
	var algorithm C.enum_fe_sparse_algorithm
	var cerr *C.fe_error
	if err := check(C.fe_sparse_embedding_algorithm(ptr, &algorithm, &cerr), cerr); err != nil {
		C.fe_sparse_embedding_free(ptr)
		return nil, err
	}
	m := &SparseTextEmbedding{algorithm: sparseAlgorithms[algorithm]}
	m.h.ptr = ptr
	m.h.free = func(p *C.fe_sparse_embedding) { C.fe_sparse_embedding_free(p) }
	runtime.SetFinalizer(m, (*SparseTextEmbedding).Close)
	return m, nil
}

// Algorithm is the model's weighting ("" for a nil model).
func (m *SparseTextEmbedding) Algorithm() SparseAlgorithm {
	if m == nil {
		return ""
	}
	return m.algorithm
}

// Embed returns one sparse vector per document, in input order (fastembed's embed). An empty list is an
// error.
func (m *SparseTextEmbedding) Embed(documents []string) ([]SparseEmbedding, error) {
	return m.run(documents, false)
}

// QueryEmbed returns one sparse vector per search query (fastembed's query_embed): BM25 and BM42 give each
// query word the weight 1.0; SPLADE embeds queries as documents.
func (m *SparseTextEmbedding) QueryEmbed(queries []string) ([]SparseEmbedding, error) {
	return m.run(queries, true)
}

func (m *SparseTextEmbedding) run(texts []string, queries bool) ([]SparseEmbedding, error) {
	if m == nil {
		return nil, ErrClosed
	}
	if len(texts) == 0 {
		return nil, invalidArgument("texts must not be empty")
	}
	batch := packTexts(texts)
	var vectors []SparseEmbedding
	err := m.h.use(func(ptr *C.fe_sparse_embedding) error {
		var result *C.fe_sparse_embeddings
		var cerr *C.fe_error
		var code C.enum_fe_result
		if queries {
			code = C.fe_sparse_embedding_query_embed(ptr, batch.dataPtr(), batch.offsetsPtr(), batch.count(),
				&result, &cerr)
		} else {
			code = C.fe_sparse_embedding_embed(ptr, batch.dataPtr(), batch.offsetsPtr(), batch.count(), &result,
				&cerr)
		}
		if err := check(code, cerr); err != nil {
			return err
		}
		defer C.fe_sparse_embeddings_free(result)
		vectors = copySparse(result)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(vectors) != len(texts) {
		return nil, &Error{Code: CodePanic, Message: "the engine returned a vector count that differs from the texts"}
	}
	return vectors, nil
}

// copySparse copies a library-owned result into Go memory (one backing array per field), so the result can
// be freed right away.
func copySparse(result *C.fe_sparse_embeddings) []SparseEmbedding {
	count := int(C.fe_sparse_embeddings_count(result))
	offsetsPtr := C.fe_sparse_embeddings_offsets(result)
	if offsetsPtr == nil {
		return nil
	}
	offsets := unsafe.Slice(offsetsPtr, count+1)
	total := int(offsets[count])
	indices := make([]uint32, total)
	values := make([]float32, total)
	if total > 0 {
		copy(indices, unsafe.Slice((*uint32)(unsafe.Pointer(C.fe_sparse_embeddings_indices(result))), total))
		copy(values, unsafe.Slice((*float32)(unsafe.Pointer(C.fe_sparse_embeddings_values(result))), total))
	}
	vectors := make([]SparseEmbedding, count)
	for i := range vectors {
		lo, hi := int(offsets[i]), int(offsets[i+1])
		vectors[i] = SparseEmbedding{Indices: indices[lo:hi:hi], Values: values[lo:hi:hi]}
	}
	return vectors
}

// Close frees the model after calls in flight have returned; later calls return ErrClosed. Closing again
// (or closing a nil model) does nothing.
func (m *SparseTextEmbedding) Close() error {
	if m != nil {
		m.h.close()
	}
	return nil
}
