package fastembed_test

import (
	"errors"
	"math"
	"sync"
	"testing"

	"dev.fastembed/go/fastembed"
)

// newBM25 builds BM25 with the reference's parameters, without stemmer; it needs no ONNX Runtime.
func newBM25(t *testing.T) *fastembed.SparseTextEmbedding {
	t.Helper()
	ref := javaResults(t)
	model, err := fastembed.NewSparseTextEmbedding(fastembed.WithSparseAlgorithm(fastembed.SparseBM25),
		fastembed.WithoutStemmer(), fastembed.WithBM25Parameters(ref.BM25.K1, ref.BM25.B, ref.BM25.AvgLen))
	if err != nil {
		t.Fatalf("NewSparseTextEmbedding: %v", err)
	}
	t.Cleanup(func() { model.Close() })
	return model
}

func requireSparseEqual(t *testing.T, what string, got fastembed.SparseEmbedding, want referenceSparse) {
	t.Helper()
	if len(got.Indices) != len(want.Indices) || len(got.Values) != len(want.Values) {
		t.Errorf("%s: %d indices and %d values, Java %d entries (%v vs %v)", what, len(got.Indices),
			len(got.Values), len(want.Indices), got.Indices, want.Indices)
		return
	}
	for i := range want.Indices {
		if got.Indices[i] != want.Indices[i] {
			t.Errorf("%s: index %d is %d, Java %d", what, i, got.Indices[i], want.Indices[i])
		}
		if diff := math.Abs(float64(got.Values[i] - want.Values[i])); diff > 1e-5*math.Abs(float64(want.Values[i])) {
			t.Errorf("%s: value %d is %g, Java %g", what, i, got.Values[i], want.Values[i])
		}
	}
}

func TestBM25DocumentsMatchJavaReference(t *testing.T) {
	ref := javaResults(t)
	model := newBM25(t)
	if model.Algorithm() != fastembed.SparseBM25 {
		t.Fatalf("algorithm %q", model.Algorithm())
	}
	vectors, err := model.Embed(ref.BM25.Texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vectors) != len(ref.BM25.Documents) {
		t.Fatalf("%d vectors for %d texts", len(vectors), len(ref.BM25.Documents))
	}
	for i, want := range ref.BM25.Documents {
		requireSparseEqual(t, "document "+ref.BM25.Texts[i], vectors[i], want)
	}
}

func TestBM25QueriesMatchJavaReference(t *testing.T) {
	ref := javaResults(t)
	vectors, err := newBM25(t).QueryEmbed(ref.BM25.Texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range ref.BM25.Queries {
		requireSparseEqual(t, "query "+ref.BM25.Texts[i], vectors[i], want)
	}
}

func TestSparseAfterCloseReturnsErrClosed(t *testing.T) {
	model := newBM25(t)
	model.Close()
	if _, err := model.Embed([]string{"text"}); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("Embed after Close: want ErrClosed, got %v", err)
	}
	if _, err := model.QueryEmbed([]string{"text"}); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("QueryEmbed after Close: want ErrClosed, got %v", err)
	}
	if err := model.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	var none *fastembed.SparseTextEmbedding
	if _, err := none.Embed([]string{"text"}); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("nil model: want ErrClosed, got %v", err)
	}
}

func TestSparseEmptyInputIsInvalidArgument(t *testing.T) {
	model := newBM25(t)
	_, err := model.Embed(nil)
	requireCode(t, err, fastembed.CodeInvalidArgument)
	_, err = model.QueryEmbed([]string{})
	requireCode(t, err, fastembed.CodeInvalidArgument)
	_, err = model.Embed([]string{"\xc3\x28"})
	requireCode(t, err, fastembed.CodeInvalidArgument)
}

func TestSparseOptionsOfAnotherAlgorithmAreRejected(t *testing.T) {
	_, err := fastembed.NewSparseTextEmbedding(fastembed.WithSparseAlgorithm(fastembed.SparseBM25),
		fastembed.WithModelDir(modelDir))
	requireCode(t, err, fastembed.CodeInvalidArgument)
	_, err = fastembed.NewSparseTextEmbedding(fastembed.WithSparseAlgorithm("tf-idf"))
	requireCode(t, err, fastembed.CodeInvalidArgument)
}

func TestConcurrentSparseEmbedsAgree(t *testing.T) {
	ref := javaResults(t)
	model := newBM25(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vectors, err := model.Embed(ref.BM25.Texts)
			if err != nil {
				t.Error(err)
				return
			}
			for i, want := range ref.BM25.Documents {
				requireSparseEqual(t, ref.BM25.Texts[i], vectors[i], want)
			}
		}()
	}
	wg.Wait()
}
