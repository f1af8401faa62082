package fastembed_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"dev.fastembed/go/fastembed"
)

// newTokenModel loads bge-small-en-v1.5 as a token embeddings model: every attended token's vector, no
// markers, no query padding, no punctuation skip list (normalized, the engine's default); the test closes it.
func newTokenModel(t *testing.T, opts ...fastembed.Option) *fastembed.LateInteractionTextEmbedding {
	t.Helper()
	all := append([]fastembed.Option{fastembed.WithModelDir(modelDir), fastembed.WithOnnxRuntime(onnxRuntime),
		fastembed.WithMarkers(false), fastembed.WithQueryExpansion(false), fastembed.WithSkipPunctuation(false),
		fastembed.WithMaxLength(javaResults(t).LateInteraction.MaxLength)}, opts...)
	model, err := fastembed.NewLateInteractionTextEmbedding(all...)
	if err != nil {
		t.Fatalf("NewLateInteractionTextEmbedding: %v", err)
	}
	t.Cleanup(func() { model.Close() })
	return model
}

// requireMatrices fails unless got has the reference's shape (texts, tokens per text, dimension) and values.
func requireMatrices(t *testing.T, got, want [][][]float32, texts []string) {
	t.Helper()
	if err := compareMatrices(got, want, texts); err != nil {
		t.Fatal(err)
	}
}

// compareMatrices says where got first differs from want in shape, or in a value by more than 1e-4.
func compareMatrices(got, want [][][]float32, texts []string) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d matrices for %d texts", len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			return fmt.Errorf("text %d %.40q: %d token vectors, Java %d", i, texts[i], len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			if len(got[i][j]) != len(want[i][j]) {
				return fmt.Errorf("text %d token %d: %d values, Java %d", i, j, len(got[i][j]), len(want[i][j]))
			}
			for k := range want[i][j] {
				if math.Abs(float64(got[i][j][k])-float64(want[i][j][k])) > 1e-4 {
					return fmt.Errorf("text %d token %d value %d: %.7f, Java %.7f (±1e-4)", i, j, k, got[i][j][k],
						want[i][j][k])
				}
			}
		}
	}
	return nil
}

func TestTokenVectorsMatchJavaReference(t *testing.T) {
	ref := javaResults(t).LateInteraction
	if len(ref.Texts) == 0 || len(ref.Texts) != len(ref.Documents) {
		t.Fatalf("the reference has %d texts and %d matrices", len(ref.Texts), len(ref.Documents))
	}
	model := newTokenModel(t)
	if model.Dimension() != len(ref.Documents[0][0]) {
		t.Fatalf("dimension %d, Java %d", model.Dimension(), len(ref.Documents[0][0]))
	}
	documents, err := model.EmbedDocuments(ref.Texts)
	if err != nil {
		t.Fatal(err)
	}
	requireMatrices(t, documents, ref.Documents, ref.Texts)
	// Without query expansion or markers, a query is embedded as a document.
	queries, err := model.EmbedQueries(ref.Texts)
	if err != nil {
		t.Fatal(err)
	}
	requireMatrices(t, queries, ref.Documents, ref.Texts)
}

func TestColBERTDefaultsMarkDocumentsAndPadQueries(t *testing.T) {
	ref := javaResults(t).LateInteraction
	text := ref.Texts[0] // "hello world": [CLS] hello world [SEP] in the reference
	model, err := fastembed.NewLateInteractionTextEmbedding(fastembed.WithModelDir(modelDir),
		fastembed.WithOnnxRuntime(onnxRuntime), fastembed.WithQueryLength(16))
	if err != nil {
		t.Fatal(err)
	}
	defer model.Close()
	documents, err := model.EmbedDocuments([]string{text, text + "!?"})
	if err != nil {
		t.Fatal(err)
	}
	for i, document := range documents {
		if len(document) != len(ref.Documents[0])+1 {
			t.Errorf("document %d: %d token vectors, want the reference's %d plus the marker's (punctuation "+
				"skipped)", i, len(document), len(ref.Documents[0]))
		}
	}
	queries, err := model.EmbedQueries([]string{text})
	if err != nil {
		t.Fatal(err)
	}
	if len(queries[0]) != 16 {
		t.Errorf("query: %d token vectors, want the query length 16", len(queries[0]))
	}
}

func TestLateInteractionEmptyListIsInvalidArgument(t *testing.T) {
	model := newTokenModel(t)
	for _, texts := range [][]string{nil, {}} {
		matrices, err := model.EmbedDocuments(texts)
		requireCode(t, err, fastembed.CodeInvalidArgument)
		if matrices != nil {
			t.Fatalf("matrices %v returned with an error", matrices)
		}
		_, err = model.EmbedQueries(texts)
		requireCode(t, err, fastembed.CodeInvalidArgument)
	}
}

func TestLateInteractionInvalidUTF8IsInvalidArgument(t *testing.T) {
	model := newTokenModel(t)
	_, err := model.EmbedDocuments([]string{"fine", "bad \xff\xfe bytes"})
	fe := requireCode(t, err, fastembed.CodeInvalidArgument)
	if !strings.Contains(fe.Message, "text 1") || !strings.Contains(fe.Message, "UTF-8") {
		t.Fatalf("the message should name text 1 and UTF-8: %q", fe.Message)
	}
	if _, err := model.EmbedQueries([]string{"fine"}); err != nil {
		t.Fatalf("embedding after an error: %v", err)
	}
}

func TestLateInteractionAfterCloseReturnsErrClosed(t *testing.T) {
	model := newTokenModel(t)
	if err := model.Close(); err != nil {
		t.Fatal(err)
	}
	matrices, err := model.EmbedDocuments([]string{"hello"})
	if !errors.Is(err, fastembed.ErrClosed) || matrices != nil {
		t.Fatalf("documents: want ErrClosed and nothing, got %v, %v", matrices, err)
	}
	if _, err := model.EmbedQueries([]string{"hello"}); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("queries: want ErrClosed, got %v", err)
	}
	if err := model.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	var nilModel *fastembed.LateInteractionTextEmbedding
	if _, err := nilModel.EmbedDocuments([]string{"hello"}); !errors.Is(err, fastembed.ErrClosed) ||
		nilModel.Dimension() != 0 {
		t.Fatalf("nil model: %v, dimension %d", err, nilModel.Dimension())
	}
}

func TestAppendingToATokenVectorLeavesTheNextIntact(t *testing.T) {
	model := newTokenModel(t)
	matrices, err := model.EmbedDocuments([]string{"first text", "second"})
	if err != nil {
		t.Fatal(err)
	}
	next := append([]float32(nil), matrices[0][1]...)
	_ = append(matrices[0][0], 42)
	last := matrices[0][len(matrices[0])-1]
	following := append([]float32(nil), matrices[1][0]...)
	_ = append(last, 42)
	requireClose(t, "token 1 of text 0", matrices[0][1], next, 0)
	requireClose(t, "token 0 of text 1", matrices[1][0], following, 0)
}

func TestConcurrentLateInteractionCallsMatchJavaReference(t *testing.T) {
	ref := javaResults(t).LateInteraction
	model := newTokenModel(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := model.EmbedDocuments(ref.Texts)
			if err == nil {
				err = compareMatrices(got, ref.Documents, ref.Texts)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
