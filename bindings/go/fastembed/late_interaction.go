package fastembed

/*
#include "fastembed.h"
*/
import "C"

import "runtime"

// LateInteractionTextEmbedding is a late interaction (ColBERT-style) text model: one vector per token instead
// of one per text, compared with MaxSim. Safe for concurrent use.
type LateInteractionTextEmbedding struct {
	h         handle[C.fe_late_interaction]
	dimension int
}

// NewLateInteractionTextEmbedding loads a late interaction model (e.g. colbert-ir/colbertv2.0); WithModelDir,
// or WithModelFile and WithTokenizerFile, are required. The query and marker settings default to ColBERT v2's
// (see WithMarkers, WithQueryLength, WithQueryExpansion, WithSkipPunctuation and the marker options). Close it
// when done.
func NewLateInteractionTextEmbedding(opts ...Option) (*LateInteractionTextEmbedding, error) {
	cfg, err := load(opts, kindLateInteraction)
	if err != nil {
		return nil, err
	}
	var ptr *C.fe_late_interaction
	err = cfg.withJSON(func(coptions *C.char) error {
		var cerr *C.fe_error
		return check(C.fe_late_interaction_new(coptions, &ptr, &cerr), cerr)
	})
	if err != nil {
		return nil, err
	}
	m := &LateInteractionTextEmbedding{dimension: int(C.fe_late_interaction_dimension(ptr))}
	m.h.ptr = ptr
	m.h.free = func(p *C.fe_late_interaction) { C.fe_late_interaction_free(p) }
	runtime.SetFinalizer(m, (*LateInteractionTextEmbedding).Close)
	return m, nil
}

// Dimension is the length of each token vector (0 for a nil model).
func (m *LateInteractionTextEmbedding) Dimension() int {
	if m == nil {
		return 0
	}
	return m.dimension
}

// EmbedDocuments returns one matrix per document, in input order: a row per kept token (the document marker
// inserted, padding and, unless WithSkipPunctuation(false), punctuation dropped). Documents longer than the
// model's maximum length are truncated. An empty list is an error; so is a text that is not valid UTF-8.
func (m *LateInteractionTextEmbedding) EmbedDocuments(documents []string) ([][][]float32, error) {
	return m.run(documents, false)
}

// EmbedQueries returns one matrix per query, in input order: a row per token, the query marker inserted and
// the query padded with the mask token to the query length unless WithQueryExpansion(false).
func (m *LateInteractionTextEmbedding) EmbedQueries(queries []string) ([][][]float32, error) {
	return m.run(queries, true)
}

func (m *LateInteractionTextEmbedding) run(texts []string, queries bool) ([][][]float32, error) {
	if m == nil {
		return nil, ErrClosed
	}
	if len(texts) == 0 {
		return nil, invalidArgument("texts must not be empty")
	}
	batch := packTexts(texts)
	var matrices [][][]float32
	err := m.h.use(func(ptr *C.fe_late_interaction) error {
		var result *C.fe_token_embeddings
		var cerr *C.fe_error
		var code C.enum_fe_result
		if queries {
			code = C.fe_late_interaction_embed_queries(ptr, batch.dataPtr(), batch.offsetsPtr(), batch.count(),
				&result, &cerr)
		} else {
			code = C.fe_late_interaction_embed_documents(ptr, batch.dataPtr(), batch.offsetsPtr(), batch.count(),
				&result, &cerr)
		}
		if err := check(code, cerr); err != nil {
			return err
		}
		defer C.fe_token_embeddings_free(result)
		matrices = copyTokenEmbeddings(result)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(matrices) != len(texts) {
		return nil, &Error{Code: CodePanic, Message: "the engine returned a matrix count that differs from the texts"}
	}
	return matrices, nil
}

// Close frees the model after calls in flight have returned; later calls return ErrClosed. Closing again
// (or closing a nil model) does nothing.
func (m *LateInteractionTextEmbedding) Close() error {
	if m != nil {
		m.h.close()
	}
	return nil
}
