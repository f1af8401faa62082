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

func TestEmbeddingsMatchJavaReference(t *testing.T) {
	ref := javaResults(t)
	if len(ref.Dense.Texts) == 0 || len(ref.Dense.Texts) != len(ref.Dense.Embeddings) {
		t.Fatalf("the reference has %d texts and %d embeddings", len(ref.Dense.Texts), len(ref.Dense.Embeddings))
	}
	model := newDenseModel(t, fastembed.WithPooling(fastembed.Pooling(ref.Dense.Pooling)),
		fastembed.WithMaxLength(ref.Dense.MaxLength))
	vectors, err := model.Embed(ref.Dense.Texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vectors) != len(ref.Dense.Texts) {
		t.Fatalf("%d vectors for %d texts", len(vectors), len(ref.Dense.Texts))
	}
	for i, want := range ref.Dense.Embeddings {
		if len(vectors[i]) != len(want) || model.Dimension() != len(want) {
			t.Fatalf("text %d: dimension %d (model says %d), Java %d", i, len(vectors[i]), model.Dimension(), len(want))
		}
		if c := cosine(vectors[i], want); c < 0.9999 {
			t.Errorf("text %d %.40q: cosine with Java %.6f < 0.9999", i, ref.Dense.Texts[i], c)
		}
		if norm := math.Sqrt(cosineNorm(vectors[i])); math.Abs(norm-1) > 1e-4 {
			t.Errorf("text %d: norm %.6f, want unit length", i, norm)
		}
	}
}

func TestDimensionsCutTheVectorAndNormalizeItAgain(t *testing.T) {
	ref := javaResults(t)
	model := newDenseModel(t, fastembed.WithPooling(fastembed.Pooling(ref.Dense.Pooling)),
		fastembed.WithMaxLength(ref.Dense.MaxLength), fastembed.WithDimensions(64))
	if model.Dimension() != 64 {
		t.Fatalf("dimension %d, want 64", model.Dimension())
	}
	vectors, err := model.Embed(ref.Dense.Texts[:1])
	if err != nil {
		t.Fatal(err)
	}
	if c := cosine(vectors[0], ref.Dense.Embeddings[0][:64]); c < 0.9999 {
		t.Errorf("cosine with the first 64 values of Java's vector %.6f < 0.9999", c)
	}
	if norm := math.Sqrt(cosineNorm(vectors[0])); math.Abs(norm-1) > 1e-4 {
		t.Errorf("norm %.6f, want unit length", norm)
	}
	if _, err := fastembed.NewTextEmbedding(fastembed.WithModelDir(modelDir), fastembed.WithOnnxRuntime(onnxRuntime),
		fastembed.WithPooling(fastembed.PoolingCLS), fastembed.WithDimensions(385)); err == nil ||
		!strings.Contains(err.Error(), "more than the model's 384") {
		t.Errorf("385 dimensions of a 384-dimensional model: got %v", err)
	}
}

func cosineNorm(v []float32) float64 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	return sum
}

func TestEmbedAfterCloseReturnsErrClosed(t *testing.T) {
	model := newDenseModel(t)
	if err := model.Close(); err != nil {
		t.Fatal(err)
	}
	vectors, err := model.Embed([]string{"hello"})
	if !errors.Is(err, fastembed.ErrClosed) || vectors != nil {
		t.Fatalf("want ErrClosed and no vectors, got %v, %v", vectors, err)
	}
}

func TestCloseTwiceIsFine(t *testing.T) {
	model := newDenseModel(t)
	if err := model.Close(); err != nil {
		t.Fatal(err)
	}
	if err := model.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestNilModelReturnsErrClosed(t *testing.T) {
	var model *fastembed.TextEmbedding
	if _, err := model.Embed([]string{"hello"}); !errors.Is(err, fastembed.ErrClosed) {
		t.Fatalf("want ErrClosed, got %v", err)
	}
	if err := model.Close(); err != nil {
		t.Fatalf("Close of a nil model: %v", err)
	}
	if model.Dimension() != 0 {
		t.Fatalf("nil model has dimension %d", model.Dimension())
	}
}

func TestEmptyTextListIsInvalidArgument(t *testing.T) {
	model := newDenseModel(t)
	for _, texts := range [][]string{nil, {}} {
		vectors, err := model.Embed(texts)
		requireCode(t, err, fastembed.CodeInvalidArgument)
		if vectors != nil {
			t.Fatalf("vectors %v returned with an error", vectors)
		}
	}
}

func TestInvalidUTF8IsInvalidArgument(t *testing.T) {
	model := newDenseModel(t)
	_, err := model.Embed([]string{"fine", "bad \xff\xfe bytes"})
	fe := requireCode(t, err, fastembed.CodeInvalidArgument)
	if !strings.Contains(fe.Message, "text 1") || !strings.Contains(fe.Message, "UTF-8") {
		t.Fatalf("the message should name text 1 and UTF-8: %q", fe.Message)
	}
	// The model stays usable after a rejected call.
	if _, err := model.Embed([]string{"fine"}); err != nil {
		t.Fatalf("embedding after an error: %v", err)
	}
}

func TestMissingModelFolderIsIOError(t *testing.T) {
	model, err := fastembed.NewTextEmbedding(fastembed.WithModelDir(t.TempDir()), fastembed.WithOnnxRuntime(onnxRuntime))
	requireCode(t, err, fastembed.CodeIO)
	if model != nil {
		t.Fatal("a model was returned with an error")
	}
}

func TestMissingModelFileIsInvalidArgument(t *testing.T) {
	_, err := fastembed.NewTextEmbedding(fastembed.WithOnnxRuntime(onnxRuntime))
	fe := requireCode(t, err, fastembed.CodeInvalidArgument)
	if !strings.Contains(fe.Message, "required") {
		t.Fatalf("the message should say what is required: %q", fe.Message)
	}
}

func TestBadOptionsAreRejected(t *testing.T) {
	for name, opt := range map[string]fastembed.Option{
		"batch size 0":    fastembed.WithBatchSize(0),
		"max length -1":   fastembed.WithMaxLength(-1),
		"threads 0":       fastembed.WithThreads(0),
		"unknown pooling": fastembed.WithPooling("max"),
	} {
		_, err := fastembed.NewTextEmbedding(fastembed.WithModelDir(modelDir), opt)
		if fe := requireCode(t, err, fastembed.CodeInvalidArgument); fe.Message == "" {
			t.Errorf("%s: empty message", name)
		}
	}
}

func TestAnotherOnnxRuntimeLibraryIsRefusedOnceLoaded(t *testing.T) {
	newDenseModel(t) // the runtime is loaded from onnxRuntime
	err := fastembed.InitRuntime(t.TempDir() + "/libonnxruntime.so")
	requireCode(t, err, fastembed.CodeOnnxRuntime)
	if err := fastembed.InitRuntime(onnxRuntime); err != nil {
		t.Fatalf("the loaded library again: %v", err)
	}
	if err := fastembed.InitRuntime(""); err != nil {
		t.Fatalf("no path once loaded: %v", err)
	}
}

func TestVersionsAreReported(t *testing.T) {
	newDenseModel(t)
	if fastembed.Version() == "" || fastembed.ABIVersion() == 0 {
		t.Fatalf("version %q, ABI %d", fastembed.Version(), fastembed.ABIVersion())
	}
	if !strings.HasPrefix(fastembed.OnnxRuntimeVersion(), "1.") {
		t.Fatalf("ONNX Runtime version %q", fastembed.OnnxRuntimeVersion())
	}
}

func TestAppendingToAVectorLeavesTheNextIntact(t *testing.T) {
	model := newDenseModel(t)
	vectors, err := model.Embed([]string{"first", "second"})
	if err != nil {
		t.Fatal(err)
	}
	second := append([]float32(nil), vectors[1]...)
	_ = append(vectors[0], 42)
	for i := range second {
		if vectors[1][i] != second[i] {
			t.Fatalf("appending to vector 0 changed vector 1 at %d", i)
		}
	}
}

func TestConcurrentEmbedsGiveTheSameVectors(t *testing.T) {
	model := newDenseModel(t)
	texts := []string{"concurrent calls share one model", "each gets its own output", "短い文"}
	want, err := model.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 3; n++ {
				got, err := model.Embed(texts)
				if err != nil {
					errs <- err
					return
				}
				for i := range want {
					if c := cosine(got[i], want[i]); c < 0.99999 {
						errs <- fmt.Errorf("text %d differs under concurrency: cosine %.6f", i, c)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCloseWaitsForCallsInFlight(t *testing.T) {
	model := newDenseModel(t)
	var wg sync.WaitGroup
	started := make(chan struct{}, 4)
	results := make(chan error, 64)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			for {
				_, err := model.Embed([]string{"a call racing with Close"})
				if err != nil {
					results <- err
					return
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-started
	}
	if err := model.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(results)
	for err := range results {
		if !errors.Is(err, fastembed.ErrClosed) {
			t.Errorf("a call racing with Close got %v, want ErrClosed", err)
		}
	}
}
