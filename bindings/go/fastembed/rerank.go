package fastembed

/*
#include "fastembed.h"
*/
import "C"

import (
	"runtime"
	"sort"
)

// RerankResult is one document's place in a reranking: its index in the input, its score and its text.
type RerankResult struct {
	Index    int
	Score    float32
	Document string
}

// TextRerank is a cross-encoder (e.g. bge-reranker-base) that scores documents against a query. Safe for
// concurrent use.
type TextRerank struct {
	h       handle[C.fe_text_rerank]
	sigmoid bool
}

// NewTextRerank loads a cross-encoder; WithModelDir, or WithModelFile and WithTokenizerFile, are required.
// Scores are the model's logits, as fastembed returns them, unless WithSigmoid(true). Close it when done.
func NewTextRerank(opts ...Option) (*TextRerank, error) {
	cfg, err := load(opts, kindRerank)
	if err != nil {
		return nil, err
	}
	var ptr *C.fe_text_rerank
	err = cfg.withJSON(func(coptions *C.char) error {
		var cerr *C.fe_error
		return check(C.fe_text_rerank_new(coptions, &ptr, &cerr), cerr)
	})
	if err != nil {
		return nil, err
	}
	m := &TextRerank{sigmoid: cfg.sigmoid != nil && *cfg.sigmoid}
	m.h.ptr = ptr
	m.h.free = func(p *C.fe_text_rerank) { C.fe_text_rerank_free(p) }
	runtime.SetFinalizer(m, (*TextRerank).Close)
	return m, nil
}

// Score returns the score of each document for query, in the order of documents. Each (query, document)
// pair is truncated to the model's length. An empty document list is an error.
func (m *TextRerank) Score(query string, documents []string) ([]float32, error) {
	if m == nil {
		return nil, ErrClosed
	}
	if len(documents) == 0 {
		return nil, invalidArgument("documents must not be empty")
	}
	batch := packTexts(documents)
	queryBytes := []byte(query)
	scores := make([]float32, len(documents))
	err := m.h.use(func(ptr *C.fe_text_rerank) error {
		var cerr *C.fe_error
		code := C.fe_text_rerank_score(ptr, utf8Ptr(queryBytes), C.uintptr_t(len(queryBytes)), batch.dataPtr(),
			batch.offsetsPtr(), batch.count(), C.bool(m.sigmoid), floatPtr(scores), C.uintptr_t(len(scores)), &cerr)
		return check(code, cerr)
	})
	if err != nil {
		return nil, err
	}
	return scores, nil
}

// Rerank returns every document with its score, best first; equal scores keep their input order.
func (m *TextRerank) Rerank(query string, documents []string) ([]RerankResult, error) {
	scores, err := m.Score(query, documents)
	if err != nil {
		return nil, err
	}
	results := make([]RerankResult, len(documents))
	for i, document := range documents {
		results[i] = RerankResult{Index: i, Score: scores[i], Document: document}
	}
	sort.SliceStable(results, func(a, b int) bool { return results[a].Score > results[b].Score })
	return results, nil
}

// Close frees the model after calls in flight have returned; later calls return ErrClosed. Closing again
// (or closing a nil model) does nothing.
func (m *TextRerank) Close() error {
	if m != nil {
		m.h.close()
	}
	return nil
}
