package fastembed

/*
#include "fastembed.h"
*/
import "C"

import "runtime"

// TextEmbedding is a dense text embedding model (e.g. bge-small-en-v1.5). Safe for concurrent use.
type TextEmbedding struct {
	h         handle[C.fe_text_embedding]
	dimension int
}

// NewTextEmbedding loads a dense model; WithModelDir, or WithModelFile and WithTokenizerFile, are required.
// Close it when done.
func NewTextEmbedding(opts ...Option) (*TextEmbedding, error) {
	cfg, err := load(opts, kindDense)
	if err != nil {
		return nil, err
	}
	var ptr *C.fe_text_embedding
	err = cfg.withJSON(func(coptions *C.char) error {
		var cerr *C.fe_error
		return check(C.fe_text_embedding_new(coptions, &ptr, &cerr), cerr)
	})
	if err != nil {
		return nil, err
	}
	m := &TextEmbedding{dimension: int(C.fe_text_embedding_dimension(ptr))}
	m.h.ptr = ptr
	m.h.free = func(p *C.fe_text_embedding) { C.fe_text_embedding_free(p) }
	// A safety net for a model that is dropped unclosed; Close is the plan.
	runtime.SetFinalizer(m, (*TextEmbedding).Close)
	return m, nil
}

// load applies the options and loads ONNX Runtime. A library named with WithOnnxRuntime must load; without
// one, a failure is kept for explain, since some models (BM25) run without ONNX Runtime.
func load(opts []Option, k kind) (*config, error) {
	cfg, err := newConfig(opts, k)
	if err != nil {
		return nil, err
	}
	if cfg.runtimeErr = InitRuntime(cfg.onnxRuntime); cfg.runtimeErr != nil && cfg.onnxRuntime != "" {
		return nil, cfg.runtimeErr
	}
	return cfg, nil
}

// Dimension is the length of each vector (0 for a nil model).
func (m *TextEmbedding) Dimension() int {
	if m == nil {
		return 0
	}
	return m.dimension
}

// Embed returns one unit-length vector per text, in input order. Texts longer than the model's maximum
// length are truncated. An empty list is an error; so is a text that is not valid UTF-8.
func (m *TextEmbedding) Embed(texts []string) ([][]float32, error) {
	if m == nil {
		return nil, ErrClosed
	}
	if len(texts) == 0 {
		return nil, invalidArgument("texts must not be empty")
	}
	batch := packTexts(texts)
	flat := make([]float32, len(texts)*m.dimension)
	err := m.h.use(func(ptr *C.fe_text_embedding) error {
		var cerr *C.fe_error
		code := C.fe_text_embedding_embed(ptr, batch.dataPtr(), batch.offsetsPtr(), batch.count(),
			floatPtr(flat), C.uintptr_t(len(flat)), nil, &cerr)
		return check(code, cerr)
	})
	if err != nil {
		return nil, err
	}
	return splitRows(flat, m.dimension), nil
}

// Close frees the model after calls in flight have returned; later calls return ErrClosed. Closing again
// (or closing a nil model) does nothing.
func (m *TextEmbedding) Close() error {
	if m != nil {
		m.h.close()
	}
	return nil
}
