// Package fastembed is the Go binding of the fastembed engine: local text embeddings (dense, sparse and late
// interaction), image embeddings and reranking over ONNX Runtime, through the C API in
// fastembed-native/include/fastembed.h.
//
// The model kinds: TextEmbedding (one vector per text), SparseTextEmbedding (SPLADE, BM25, BM42),
// LateInteractionTextEmbedding (ColBERT-style: a matrix per text, a row per token, for documents and for
// queries), ImageEmbedding (one vector per image file or encoded image), LateInteractionMultimodalEmbedding
// (ColPali: matrices for text queries and page images) and TextRerank (cross-encoder scores).
//
// Every model is a value created by a New function and released with Close, usually deferred:
//
//	model, err := fastembed.NewTextEmbedding(
//		fastembed.WithModelDir("/models/bge-small-en-v1.5"),
//		fastembed.WithOnnxRuntime("/opt/onnxruntime/lib/libonnxruntime.so"))
//	if err != nil {
//		return err
//	}
//	defer model.Close()
//	vectors, err := model.Embed([]string{"hello", "world"})
//
// Errors from the engine are *Error values carrying the C result Code and the engine's message; a call on a
// closed model returns ErrClosed. Models are safe for concurrent use: calls run in parallel, and Close waits
// for calls in flight, so a model is never freed under a running call.
//
// ONNX Runtime is loaded once per process, by the first New call (or by InitRuntime), from the path given
// with WithOnnxRuntime, else from the ORT_DYLIB_PATH environment variable, else from the system's library
// path.
//
// Building: cgo compiles against fastembed.h and links libfastembed. Inside the repository the paths are
// found relative to this package (include/ and rust/target/release of fastembed-native); elsewhere set
// CGO_CFLAGS=-I<dir of fastembed.h> and CGO_LDFLAGS="-L<dir of libfastembed> -Wl,-rpath,<same dir>".
package fastembed
