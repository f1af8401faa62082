package fastembed_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sync"
	"testing"

	"dev.fastembed/go/fastembed"
)

// The tests run on a real model folder and compare against results a Java program computed without the
// engine; bindings/go/run.sh prepares both and sets these variables.
var (
	onnxRuntime   = os.Getenv("FASTEMBED_TEST_ONNXRUNTIME")
	modelDir      = os.Getenv("FASTEMBED_TEST_MODEL_DIR")
	referenceFile = os.Getenv("FASTEMBED_TEST_REFERENCE")
)

func TestMain(m *testing.M) {
	if onnxRuntime == "" || modelDir == "" || referenceFile == "" {
		fmt.Fprintln(os.Stderr, "FASTEMBED_TEST_ONNXRUNTIME, FASTEMBED_TEST_MODEL_DIR and FASTEMBED_TEST_REFERENCE "+
			"must be set: run the tests with bindings/go/run.sh")
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// javaReference is what bindings/reference/BindingReference.java writes.
type javaReference struct {
	Dense struct {
		Pooling    string      `json:"pooling"`
		MaxLength  int         `json:"max_length"`
		Texts      []string    `json:"texts"`
		Embeddings [][]float32 `json:"embeddings"`
	} `json:"dense"`
	Rerank struct {
		ModelDir  string    `json:"model_dir"`
		MaxLength int       `json:"max_length"`
		Query     string    `json:"query"`
		Documents []string  `json:"documents"`
		Scores    []float32 `json:"scores"`
	} `json:"rerank"`
	BM25 struct {
		K1        float32           `json:"k1"`
		B         float32           `json:"b"`
		AvgLen    float32           `json:"avg_len"`
		Texts     []string          `json:"texts"`
		Documents []referenceSparse `json:"documents"`
		Queries   []referenceSparse `json:"queries"`
	} `json:"bm25"`
	LateInteraction struct {
		MaxLength int           `json:"max_length"`
		Texts     []string      `json:"texts"`
		Documents [][][]float32 `json:"documents"`
	} `json:"late_interaction"`
	Image struct {
		ModelDir   string      `json:"model_dir"`
		Files      []string    `json:"files"`
		Embeddings [][]float32 `json:"embeddings"`
	} `json:"image"`
	Multimodal struct {
		ModelDir        string        `json:"model_dir"`
		Queries         []string      `json:"queries"`
		QueryEmbeddings [][][]float32 `json:"query_embeddings"`
		Files           []string      `json:"files"`
		ImageEmbeddings [][][]float32 `json:"image_embeddings"`
	} `json:"multimodal"`
}

type referenceSparse struct {
	Indices []uint32  `json:"indices"`
	Values  []float32 `json:"values"`
}

var (
	referenceOnce sync.Once
	reference     javaReference
	referenceErr  error
)

// javaResults reads the reference file once for all tests.
func javaResults(t *testing.T) *javaReference {
	t.Helper()
	referenceOnce.Do(func() {
		var data []byte
		if data, referenceErr = os.ReadFile(referenceFile); referenceErr == nil {
			referenceErr = json.Unmarshal(data, &reference)
		}
	})
	if referenceErr != nil {
		t.Fatalf("reading the Java reference %s: %v", referenceFile, referenceErr)
	}
	return &reference
}

// newDenseModel loads bge-small-en-v1.5 from the model folder; the test closes it when it ends.
func newDenseModel(t *testing.T, opts ...fastembed.Option) *fastembed.TextEmbedding {
	t.Helper()
	all := append([]fastembed.Option{fastembed.WithModelDir(modelDir), fastembed.WithOnnxRuntime(onnxRuntime)}, opts...)
	model, err := fastembed.NewTextEmbedding(all...)
	if err != nil {
		t.Fatalf("NewTextEmbedding: %v", err)
	}
	t.Cleanup(func() { model.Close() })
	return model
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

// requireClose fails unless got and want have the same shape and every value within tolerance.
func requireClose(t *testing.T, what string, got, want []float32, tolerance float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for k := range want {
		if math.Abs(float64(got[k])-float64(want[k])) > tolerance {
			t.Fatalf("%s: value %d is %.7f, want %.7f (±%g)", what, k, got[k], want[k], tolerance)
		}
	}
}

// requireCode fails unless err is a *fastembed.Error with the given code.
func requireCode(t *testing.T, err error, code fastembed.Code) *fastembed.Error {
	t.Helper()
	var fe *fastembed.Error
	if !errors.As(err, &fe) {
		t.Fatalf("want a *fastembed.Error with code %v, got %v", code, err)
	}
	if fe.Code != code {
		t.Fatalf("want code %v, got %v (%s)", code, fe.Code, fe.Message)
	}
	return fe
}
