package fastembed

/*
#include "fastembed.h"
*/
import "C"

import "runtime"

// LateInteractionMultimodalEmbedding is a late interaction model over text queries and page images (ColPali):
// a matrix per query or image, a row per token, compared with MaxSim. Safe for concurrent use.
type LateInteractionMultimodalEmbedding struct {
	h         handle[C.fe_late_interaction_multimodal]
	dimension int
}

// NewLateInteractionMultimodalEmbedding loads a ColPali-style model; WithModelDir (model.onnx, tokenizer.json
// and preprocessor_config.json), or WithModelFile, WithTokenizerFile and WithPreprocessorConfigFile, are
// required. Vectors are the model's own unless WithNormalize(true). Close it when done.
func NewLateInteractionMultimodalEmbedding(opts ...Option) (*LateInteractionMultimodalEmbedding, error) {
	cfg, err := load(opts, kindLateInteractionMultimodal)
	if err != nil {
		return nil, err
	}
	var ptr *C.fe_late_interaction_multimodal
	err = cfg.withJSON(func(coptions *C.char) error {
		var cerr *C.fe_error
		return check(C.fe_late_interaction_multimodal_new(coptions, &ptr, &cerr), cerr)
	})
	if err != nil {
		return nil, err
	}
	m := &LateInteractionMultimodalEmbedding{dimension: int(C.fe_late_interaction_multimodal_dimension(ptr))}
	m.h.ptr = ptr
	m.h.free = func(p *C.fe_late_interaction_multimodal) { C.fe_late_interaction_multimodal_free(p) }
	runtime.SetFinalizer(m, (*LateInteractionMultimodalEmbedding).Close)
	return m, nil
}

// Dimension is the length of each token vector (0 for a nil model).
func (m *LateInteractionMultimodalEmbedding) Dimension() int {
	if m == nil {
		return 0
	}
	return m.dimension
}

// multimodalInput is what a call embeds.
type multimodalInput int

const (
	multimodalQueries multimodalInput = iota
	multimodalImageFiles
	multimodalImageBytes
)

// EmbedQueries returns one matrix per query, in input order: a row per token of the model's query prompt.
// An empty list is an error; so is a query that is not valid UTF-8.
func (m *LateInteractionMultimodalEmbedding) EmbedQueries(queries []string) ([][][]float32, error) {
	return m.run(packTexts(queries), len(queries), multimodalQueries)
}

// EmbedImageFiles returns one matrix per image file, in input order: a row per token of the image's prompt
// (1030 for ColPali). A missing, unreadable, corrupt, unsupported or oversized image fails the call with an
// error naming its index and path; the model stays usable. An empty list is an error.
func (m *LateInteractionMultimodalEmbedding) EmbedImageFiles(paths []string) ([][][]float32, error) {
	return m.run(packTexts(paths), len(paths), multimodalImageFiles)
}

// EmbedImageBytes returns one matrix per encoded image (PNG, JPEG, WebP, GIF, BMP, TIFF), as EmbedImageFiles.
func (m *LateInteractionMultimodalEmbedding) EmbedImageBytes(images [][]byte) ([][][]float32, error) {
	return m.run(packBytes(images), len(images), multimodalImageBytes)
}

func (m *LateInteractionMultimodalEmbedding) run(batch textBatch, count int,
	input multimodalInput) ([][][]float32, error) {
	if m == nil {
		return nil, ErrClosed
	}
	if count == 0 {
		if input == multimodalQueries {
			return nil, invalidArgument("queries must not be empty")
		}
		return nil, invalidArgument("images must not be empty")
	}
	var matrices [][][]float32
	err := m.h.use(func(ptr *C.fe_late_interaction_multimodal) error {
		var result *C.fe_token_embeddings
		var cerr *C.fe_error
		var code C.enum_fe_result
		switch input {
		case multimodalQueries:
			code = C.fe_late_interaction_multimodal_embed_queries(ptr, batch.dataPtr(), batch.offsetsPtr(),
				batch.count(), &result, &cerr)
		case multimodalImageFiles:
			code = C.fe_late_interaction_multimodal_embed_image_files(ptr, batch.dataPtr(), batch.offsetsPtr(),
				batch.count(), &result, &cerr)
		default:
			code = C.fe_late_interaction_multimodal_embed_image_bytes(ptr, batch.dataPtr(), batch.offsetsPtr(),
				batch.count(), &result, &cerr)
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
	if len(matrices) != count {
		return nil, &Error{Code: CodePanic, Message: "the engine returned a matrix count that differs from the inputs"}
	}
	return matrices, nil
}

// Close frees the model after calls in flight have returned; later calls return ErrClosed. Closing again
// (or closing a nil model) does nothing.
func (m *LateInteractionMultimodalEmbedding) Close() error {
	if m != nil {
		m.h.close()
	}
	return nil
}
