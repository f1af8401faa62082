package fastembed_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"dev.fastembed/go/fastembed"
)

// newColPaliModel loads the reference's ColPali-like model (token vectors spell out the token id, the
// attention and the image's channel maxima); the test closes it.
func newColPaliModel(t *testing.T, opts ...fastembed.Option) *fastembed.LateInteractionMultimodalEmbedding {
	t.Helper()
	all := append([]fastembed.Option{fastembed.WithModelDir(javaResults(t).Multimodal.ModelDir),
		fastembed.WithOnnxRuntime(onnxRuntime)}, opts...)
	model, err := fastembed.NewLateInteractionMultimodalEmbedding(all...)
	if err != nil {
		t.Fatalf("NewLateInteractionMultimodalEmbedding: %v", err)
	}
	t.Cleanup(func() { model.Close() })
	return model
}

func TestColPaliQueriesAndImagesMatchJavaReference(t *testing.T) {
	ref := javaResults(t).Multimodal
	model := newColPaliModel(t, fastembed.WithBatchSize(1)) // images in two runs
	if model.Dimension() != 5 {
		t.Fatalf("dimension %d, want the graph's 5", model.Dimension())
	}
	queries, err := model.EmbedQueries(ref.Queries)
	if err != nil {
		t.Fatal(err)
	}
	requireMatrices(t, queries, ref.QueryEmbeddings, ref.Queries)
	fromFiles, err := model.EmbedImageFiles(ref.Files)
	if err != nil {
		t.Fatal(err)
	}
	requireMatrices(t, fromFiles, ref.ImageEmbeddings, ref.Files)
	fromBytes, err := model.EmbedImageBytes(readImages(t, ref.Files))
	if err != nil {
		t.Fatal(err)
	}
	requireMatrices(t, fromBytes, ref.ImageEmbeddings, ref.Files)
}

func TestColPaliBadImageIsNamedByItsIndexAndTheModelStaysUsable(t *testing.T) {
	ref := javaResults(t).Multimodal
	model := newColPaliModel(t)
	good := readImages(t, ref.Files[:1])[0]
	_, err := model.EmbedImageBytes([][]byte{good, good[:60]})
	if fe := requireCode(t, err, fastembed.CodeImage); !strings.Contains(fe.Message, "image 1") {
		t.Errorf("the message should name image 1: %q", fe.Message)
	}
	missing := filepath.Join(t.TempDir(), "missing.png")
	_, err = model.EmbedImageFiles([]string{missing})
	if fe := requireCode(t, err, fastembed.CodeIO); !strings.Contains(fe.Message, missing) {
		t.Errorf("the message should name the path: %q", fe.Message)
	}
	matrices, err := model.EmbedImageBytes([][]byte{good})
	if err != nil {
		t.Fatalf("embedding after errors: %v", err)
	}
	requireMatrices(t, matrices, ref.ImageEmbeddings[:1], ref.Files[:1])
}

func TestColPaliEmptyListsAndClosedModel(t *testing.T) {
	ref := javaResults(t).Multimodal
	model := newColPaliModel(t)
	_, err := model.EmbedQueries(nil)
	requireCode(t, err, fastembed.CodeInvalidArgument)
	_, err = model.EmbedImageFiles([]string{})
	requireCode(t, err, fastembed.CodeInvalidArgument)
	_, err = model.EmbedImageBytes(nil)
	requireCode(t, err, fastembed.CodeInvalidArgument)
	_, err = model.EmbedQueries([]string{"\xff"})
	requireCode(t, err, fastembed.CodeInvalidArgument)
	if err := model.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := model.EmbedQueries(ref.Queries); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("queries after Close: want ErrClosed, got %v", err)
	}
	if _, err := model.EmbedImageFiles(ref.Files); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("images after Close: want ErrClosed, got %v", err)
	}
	var nilModel *fastembed.LateInteractionMultimodalEmbedding
	if _, err := nilModel.EmbedImageBytes(nil); !errors.Is(err, fastembed.ErrClosed) || nilModel.Dimension() != 0 {
		t.Fatalf("nil model: %v", err)
	}
}

func TestColPaliModelWithoutPreprocessorConfigIsRejected(t *testing.T) {
	ref := javaResults(t).Multimodal
	_, err := fastembed.NewLateInteractionMultimodalEmbedding(fastembed.WithOnnxRuntime(onnxRuntime),
		fastembed.WithModelFile(filepath.Join(ref.ModelDir, "model.onnx")),
		fastembed.WithTokenizerFile(filepath.Join(ref.ModelDir, "tokenizer.json")))
	if fe := requireCode(t, err, fastembed.CodeInvalidArgument); !strings.Contains(fe.Message, "preprocessor_config") {
		t.Fatalf("the message should name the preprocessor config: %q", fe.Message)
	}
}
