package fastembed_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dev.fastembed/go/fastembed"
)

// newImageModel loads the reference's image model (channel means times a fixed matrix, CLIP's preprocessing);
// the test closes it.
func newImageModel(t *testing.T, opts ...fastembed.Option) *fastembed.ImageEmbedding {
	t.Helper()
	all := append([]fastembed.Option{fastembed.WithModelDir(javaResults(t).Image.ModelDir),
		fastembed.WithOnnxRuntime(onnxRuntime)}, opts...)
	model, err := fastembed.NewImageEmbedding(all...)
	if err != nil {
		t.Fatalf("NewImageEmbedding: %v", err)
	}
	t.Cleanup(func() { model.Close() })
	return model
}

func readImages(t *testing.T, paths []string) [][]byte {
	t.Helper()
	images := make([][]byte, len(paths))
	for i, path := range paths {
		var err error
		if images[i], err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	return images
}

func TestImageEmbeddingsMatchJavaReference(t *testing.T) {
	ref := javaResults(t).Image
	if len(ref.Files) == 0 || len(ref.Files) != len(ref.Embeddings) {
		t.Fatalf("the reference has %d images and %d embeddings", len(ref.Files), len(ref.Embeddings))
	}
	model := newImageModel(t)
	if model.Dimension() != len(ref.Embeddings[0]) {
		t.Fatalf("dimension %d, Java %d", model.Dimension(), len(ref.Embeddings[0]))
	}
	fromFiles, err := model.EmbedFiles(ref.Files)
	if err != nil {
		t.Fatal(err)
	}
	fromBytes, err := model.EmbedBytes(readImages(t, ref.Files))
	if err != nil {
		t.Fatal(err)
	}
	if len(fromFiles) != len(ref.Files) || len(fromBytes) != len(ref.Files) {
		t.Fatalf("%d vectors from files and %d from bytes for %d images", len(fromFiles), len(fromBytes),
			len(ref.Files))
	}
	for i, want := range ref.Embeddings {
		name := filepath.Base(ref.Files[i])
		requireClose(t, name+" from its file", fromFiles[i], want, 1e-4)
		requireClose(t, name+" from its bytes", fromBytes[i], fromFiles[i], 0)
	}
}

func TestBadImageIsNamedByItsIndexAndTheModelStaysUsable(t *testing.T) {
	ref := javaResults(t).Image
	model := newImageModel(t)
	good := readImages(t, ref.Files[:1])[0]
	for name, bad := range map[string][]byte{
		"truncated PNG": good[:40],
		"not a picture": []byte("just some text, not a picture"),
		"empty":         {},
	} {
		vectors, err := model.EmbedBytes([][]byte{good, good, bad})
		fe := requireCode(t, err, fastembed.CodeImage)
		if !strings.Contains(fe.Message, "image 2") || vectors != nil {
			t.Errorf("%s: the message should name image 2 and no vectors come back: %q, %v", name, fe.Message, vectors)
		}
	}
	missing := filepath.Join(t.TempDir(), "no-such-picture.png")
	_, err := model.EmbedFiles([]string{ref.Files[0], missing})
	fe := requireCode(t, err, fastembed.CodeIO)
	if !strings.Contains(fe.Message, "image 1") || !strings.Contains(fe.Message, missing) {
		t.Errorf("the message should name image 1 and its path: %q", fe.Message)
	}
	vectors, err := model.EmbedBytes([][]byte{good})
	if err != nil {
		t.Fatalf("embedding after errors: %v", err)
	}
	requireClose(t, "after errors", vectors[0], ref.Embeddings[0], 1e-4)
}

func TestImageLimitsApply(t *testing.T) {
	ref := javaResults(t).Image
	small := readImages(t, ref.Files[:1]) // 32 x 32: 1024 pixels
	strict := newImageModel(t, fastembed.WithImageLimits(1000, 0, 0))
	_, err := strict.EmbedBytes(small)
	fe := requireCode(t, err, fastembed.CodeImage)
	if !strings.Contains(fe.Message, "exceeds the limit of 1000 pixels") {
		t.Errorf("message %q", fe.Message)
	}
	if _, err := newImageModel(t, fastembed.WithImageLimits(1024, 32, len(small[0]))).EmbedBytes(small); err != nil {
		t.Errorf("an image at every limit: %v", err)
	}
	_, err = fastembed.NewImageEmbedding(fastembed.WithModelDir(ref.ModelDir), fastembed.WithImageLimits(0, -1, 0))
	requireCode(t, err, fastembed.CodeInvalidArgument)
}

func TestImageModelWithoutPreprocessorConfigIsRejected(t *testing.T) {
	ref := javaResults(t).Image
	model, err := fastembed.NewImageEmbedding(fastembed.WithModelFile(filepath.Join(ref.ModelDir, "model.onnx")),
		fastembed.WithOnnxRuntime(onnxRuntime))
	fe := requireCode(t, err, fastembed.CodeInvalidArgument)
	if !strings.Contains(fe.Message, "preprocessor_config") || model != nil {
		t.Fatalf("the message should name the preprocessor config: %q", fe.Message)
	}
}

func TestImageEmptyListAndClosedModel(t *testing.T) {
	model := newImageModel(t)
	for _, call := range []func() ([][]float32, error){
		func() ([][]float32, error) { return model.EmbedFiles(nil) },
		func() ([][]float32, error) { return model.EmbedBytes([][]byte{}) },
	} {
		vectors, err := call()
		requireCode(t, err, fastembed.CodeInvalidArgument)
		if vectors != nil {
			t.Fatalf("vectors %v returned with an error", vectors)
		}
	}
	if err := model.Close(); err != nil {
		t.Fatal(err)
	}
	ref := javaResults(t).Image
	if _, err := model.EmbedFiles(ref.Files); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("files after Close: want ErrClosed, got %v", err)
	}
	if _, err := model.EmbedBytes(readImages(t, ref.Files)); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("bytes after Close: want ErrClosed, got %v", err)
	}
	var nilModel *fastembed.ImageEmbedding
	if _, err := nilModel.EmbedFiles(ref.Files); !errors.Is(err, fastembed.ErrClosed) || nilModel.Dimension() != 0 ||
		nilModel.Close() != nil {
		t.Fatalf("nil model: %v", err)
	}
}
