package fastembed_test

import (
	"errors"
	"math"
	"sync"
	"testing"

	"dev.fastembed/go/fastembed"
)

// newReranker loads the reference's small cross-encoder (with bge-small's tokenizer).
func newReranker(t *testing.T, opts ...fastembed.Option) *fastembed.TextRerank {
	t.Helper()
	ref := javaResults(t)
	all := append([]fastembed.Option{fastembed.WithModelDir(ref.Rerank.ModelDir),
		fastembed.WithMaxLength(ref.Rerank.MaxLength), fastembed.WithOnnxRuntime(onnxRuntime)}, opts...)
	model, err := fastembed.NewTextRerank(all...)
	if err != nil {
		t.Fatalf("NewTextRerank: %v", err)
	}
	t.Cleanup(func() { model.Close() })
	return model
}

// closeTo allows for float32 sums over up to 512 tokens.
func closeTo(got, want float32) bool {
	return math.Abs(float64(got-want)) <= 1e-4*math.Max(1, math.Abs(float64(want)))
}

func TestRerankScoresMatchJavaReference(t *testing.T) {
	ref := javaResults(t)
	scores, err := newReranker(t).Score(ref.Rerank.Query, ref.Rerank.Documents)
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != len(ref.Rerank.Scores) {
		t.Fatalf("%d scores for %d documents", len(scores), len(ref.Rerank.Scores))
	}
	for i, want := range ref.Rerank.Scores {
		if !closeTo(scores[i], want) {
			t.Errorf("document %d %.40q: score %g, Java %g", i, ref.Rerank.Documents[i], scores[i], want)
		}
	}
}

func TestRerankWithSigmoidSquashesTheJavaLogits(t *testing.T) {
	ref := javaResults(t)
	scores, err := newReranker(t, fastembed.WithSigmoid(true)).Score(ref.Rerank.Query, ref.Rerank.Documents)
	if err != nil {
		t.Fatal(err)
	}
	for i, logit := range ref.Rerank.Scores {
		want := float32(1 / (1 + math.Exp(-float64(logit))))
		if !closeTo(scores[i], want) {
			t.Errorf("document %d: sigmoid score %g, want %g", i, scores[i], want)
		}
	}
}

func TestRerankOrdersBestFirst(t *testing.T) {
	ref := javaResults(t)
	results, err := newReranker(t).Rerank(ref.Rerank.Query, ref.Rerank.Documents)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(ref.Rerank.Documents) {
		t.Fatalf("%d results for %d documents", len(results), len(ref.Rerank.Documents))
	}
	seen := map[int]bool{}
	for i, r := range results {
		if seen[r.Index] || r.Document != ref.Rerank.Documents[r.Index] || !closeTo(r.Score, ref.Rerank.Scores[r.Index]) {
			t.Fatalf("result %d (document %d, score %g, %.40q) does not match the reference", i, r.Index, r.Score,
				r.Document)
		}
		seen[r.Index] = true
		if i > 0 && r.Score > results[i-1].Score {
			t.Fatalf("result %d (%g) scores above result %d (%g)", i, r.Score, i-1, results[i-1].Score)
		}
	}
}

func TestRerankAfterCloseReturnsErrClosed(t *testing.T) {
	model := newReranker(t)
	model.Close()
	if _, err := model.Rerank("query", []string{"document"}); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("want ErrClosed, got %v", err)
	}
	if err := model.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	var none *fastembed.TextRerank
	if _, err := none.Score("query", []string{"document"}); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("nil model: want ErrClosed, got %v", err)
	}
}

func TestRerankBadInputIsInvalidArgument(t *testing.T) {
	model := newReranker(t)
	_, err := model.Rerank("query", nil)
	requireCode(t, err, fastembed.CodeInvalidArgument)
	_, err = model.Score("\xff", []string{"document"})
	requireCode(t, err, fastembed.CodeInvalidArgument)
	_, err = model.Score("query", []string{"document", "\xff"})
	requireCode(t, err, fastembed.CodeInvalidArgument)
}

func TestSigmoidIsARerankOption(t *testing.T) {
	_, err := fastembed.NewTextEmbedding(fastembed.WithModelDir(modelDir), fastembed.WithSigmoid(true))
	requireCode(t, err, fastembed.CodeInvalidArgument)
}

func TestConcurrentReranksAgree(t *testing.T) {
	ref := javaResults(t)
	model := newReranker(t)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			scores, err := model.Score(ref.Rerank.Query, ref.Rerank.Documents)
			if err != nil {
				t.Error(err)
				return
			}
			for i, want := range ref.Rerank.Scores {
				if !closeTo(scores[i], want) {
					t.Errorf("document %d: %g under concurrency, Java %g", i, scores[i], want)
				}
			}
		}()
	}
	wg.Wait()
}
