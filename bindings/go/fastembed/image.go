package fastembed

/*
#include "fastembed.h"
*/
import "C"

import "runtime"

// ImageEmbedding is a dense image model (e.g. CLIP ViT-B/32 vision): one vector per image, from files or
// encoded bytes (PNG, JPEG, WebP, GIF, BMP, TIFF). Safe for concurrent use.
type ImageEmbedding struct {
	h         handle[C.fe_image_embedding]
	dimension int
}

// NewImageEmbedding loads an image model; WithModelDir (model.onnx and preprocessor_config.json), or
// WithModelFile and WithPreprocessorConfigFile, are required. WithPooling applies to models whose output has
// a vector per patch, WithImageLimits to decoding. Close it when done.
func NewImageEmbedding(opts ...Option) (*ImageEmbedding, error) {
	cfg, err := load(opts, kindImage)
	if err != nil {
		return nil, err
	}
	var ptr *C.fe_image_embedding
	err = cfg.withJSON(func(coptions *C.char) error {
		var cerr *C.fe_error
		return check(C.fe_image_embedding_new(coptions, &ptr, &cerr), cerr)
	})
	if err != nil {
		return nil, err
	}
	m := &ImageEmbedding{dimension: int(C.fe_image_embedding_dimension(ptr))}
	m.h.ptr = ptr
	m.h.free = func(p *C.fe_image_embedding) { C.fe_image_embedding_free(p) }
	runtime.SetFinalizer(m, (*ImageEmbedding).Close)
	return m, nil
}

// Dimension is the length of each vector (0 for a nil model).
func (m *ImageEmbedding) Dimension() int {
	if m == nil {
		return 0
	}
	return m.dimension
}

// EmbedFiles returns one vector per image file, in input order (unit length unless WithNormalize(false)).
// A missing, unreadable, corrupt, unsupported or oversized image fails the call with an error naming its
// index and path; the model stays usable. An empty list is an error.
func (m *ImageEmbedding) EmbedFiles(paths []string) ([][]float32, error) {
	return m.run(packTexts(paths), len(paths), true)
}

// EmbedBytes returns one vector per encoded image, in input order. A bad image fails the call with an error
// naming its index; the model stays usable. An empty list is an error.
func (m *ImageEmbedding) EmbedBytes(images [][]byte) ([][]float32, error) {
	return m.run(packBytes(images), len(images), false)
}

func (m *ImageEmbedding) run(batch textBatch, count int, files bool) ([][]float32, error) {
	if m == nil {
		return nil, ErrClosed
	}
	if count == 0 {
		return nil, invalidArgument("images must not be empty")
	}
	flat := make([]float32, count*m.dimension)
	err := m.h.use(func(ptr *C.fe_image_embedding) error {
		var cerr *C.fe_error
		var code C.enum_fe_result
		if files {
			code = C.fe_image_embedding_embed_files(ptr, batch.dataPtr(), batch.offsetsPtr(), batch.count(),
				floatPtr(flat), C.uintptr_t(len(flat)), &cerr)
		} else {
			code = C.fe_image_embedding_embed_bytes(ptr, batch.dataPtr(), batch.offsetsPtr(), batch.count(),
				floatPtr(flat), C.uintptr_t(len(flat)), &cerr)
		}
		return check(code, cerr)
	})
	if err != nil {
		return nil, err
	}
	return splitRows(flat, m.dimension), nil
}

// Close frees the model after calls in flight have returned; later calls return ErrClosed. Closing again
// (or closing a nil model) does nothing.
func (m *ImageEmbedding) Close() error {
	if m != nil {
		m.h.close()
	}
	return nil
}
