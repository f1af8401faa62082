package fastembed

/*
#cgo CFLAGS: -I${SRCDIR}/../../../fastembed-native/include
#cgo LDFLAGS: -L${SRCDIR}/../../../fastembed-native/rust/target/release -Wl,-rpath,${SRCDIR}/../../../fastembed-native/rust/target/release -lfastembed
#include <stdlib.h>
#include "fastembed.h"
*/
import "C"

import (
	"sync"
	"unsafe"
)

// check turns a call's result and error object into a Go error, freeing the error object.
func check(code C.enum_fe_result, cerr *C.fe_error) error {
	if code == C.FE_RESULT_OK {
		return nil
	}
	err := &Error{Code: Code(code), Message: "no details"}
	if cerr != nil {
		err.Code = Code(C.fe_error_code(cerr))
		err.Message = C.GoString(C.fe_error_message(cerr))
		C.fe_error_free(cerr)
	}
	return err
}

// withCString passes s to C as a NUL-terminated copy that is freed when call returns.
func withCString(s string, call func(*C.char) error) error {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return call(cs)
}

// textBatch is a batch of texts (or of encoded images) in the ABI's layout: one byte buffer and len+1
// offsets. Both live in Go memory without Go pointers, which C may read during a call (cgo's pointer rules);
// nothing is copied to C.
type textBatch struct {
	data    []byte
	offsets []C.uintptr_t
}

func packTexts(texts []string) textBatch { return pack(texts) }

// packBytes packs encoded images the way texts are packed (the image calls share the text batch layout).
func packBytes(items [][]byte) textBatch { return pack(items) }

func pack[T string | []byte](items []T) textBatch {
	total := 0
	for _, item := range items {
		total += len(item)
	}
	batch := textBatch{data: make([]byte, 0, total), offsets: make([]C.uintptr_t, 1, len(items)+1)}
	for _, item := range items {
		batch.data = append(batch.data, item...)
		batch.offsets = append(batch.offsets, C.uintptr_t(len(batch.data)))
	}
	return batch
}

func (b *textBatch) dataPtr() *C.uint8_t {
	if len(b.data) == 0 {
		return nil // the ABI accepts NULL for zero bytes
	}
	return (*C.uint8_t)(unsafe.Pointer(&b.data[0]))
}

func (b *textBatch) offsetsPtr() *C.uintptr_t { return &b.offsets[0] }

func (b *textBatch) count() C.uintptr_t { return C.uintptr_t(len(b.offsets) - 1) }

// utf8Ptr points C at the bytes of s for the duration of a call (NULL when empty).
func utf8Ptr(s []byte) *C.uint8_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&s[0]))
}

// floatPtr lets C write into a Go float32 slice during a call (NULL when empty).
func floatPtr(s []float32) *C.float {
	if len(s) == 0 {
		return nil
	}
	return (*C.float)(unsafe.Pointer(&s[0]))
}

// splitRows cuts a flat array of vectors of dimension values each into one slice per vector, sharing the
// array. Each is capped, so appending to one vector cannot overwrite the next.
func splitRows(flat []float32, dimension int) [][]float32 {
	if dimension == 0 {
		return make([][]float32, 0)
	}
	rows := make([][]float32, len(flat)/dimension)
	for i := range rows {
		rows[i] = flat[i*dimension : (i+1)*dimension : (i+1)*dimension]
	}
	return rows
}

// copyTokenEmbeddings copies a library-owned result of token vectors into Go memory (one backing array), so
// the result can be freed right away: one matrix per text, one row per token.
func copyTokenEmbeddings(result *C.fe_token_embeddings) [][][]float32 {
	count := int(C.fe_token_embeddings_count(result))
	dimension := int(C.fe_token_embeddings_dimension(result))
	offsetsPtr := C.fe_token_embeddings_offsets(result)
	if offsetsPtr == nil {
		return nil
	}
	offsets := unsafe.Slice(offsetsPtr, count+1)
	flat := make([]float32, int(offsets[count])*dimension)
	if len(flat) > 0 {
		copy(flat, unsafe.Slice((*float32)(unsafe.Pointer(C.fe_token_embeddings_data(result))), len(flat)))
	}
	matrices := make([][][]float32, count)
	for i := range matrices {
		lo, hi := int(offsets[i])*dimension, int(offsets[i+1])*dimension
		matrices[i] = splitRows(flat[lo:hi:hi], dimension)
	}
	return matrices
}

// handle owns one native object. Calls share the read lock and so run in parallel (the engine's handles
// are thread-safe); close takes the write lock, so it waits for calls in flight, frees the object once,
// and every later call gets ErrClosed instead of a freed pointer.
type handle[T any] struct {
	mu   sync.RWMutex
	ptr  *T
	free func(*T)
}

func (h *handle[T]) use(call func(*T) error) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.ptr == nil {
		return ErrClosed
	}
	return call(h.ptr)
}

func (h *handle[T]) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr != nil {
		h.free(h.ptr)
		h.ptr = nil
	}
}
