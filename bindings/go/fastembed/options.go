package fastembed

import "C"

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// Option configures a model in a New function. The settings become the engine's options JSON (see
// fe_text_embedding_new in fastembed.h); the engine rejects settings that do not apply to a model kind.
type Option func(*config)

type config struct {
	settings    map[string]any
	onnxRuntime string
	sigmoid     *bool // a per-call setting of rerank models, not part of the options JSON
	err         error
	runtimeErr  error // why ONNX Runtime did not load, when no path was given
}

// kind is the model kind a New function creates, for the options that only this package handles.
type kind int

const (
	kindDense kind = iota
	kindSparse
	kindRerank
	kindLateInteraction
	kindImage
	kindLateInteractionMultimodal
)

func newConfig(opts []Option, k kind) (*config, error) {
	c := &config{settings: map[string]any{}}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	if c.sigmoid != nil && k != kindRerank {
		c.fail(invalidArgument("WithSigmoid applies to rerank models only"))
	}
	return c, c.err
}

// withJSON passes the options JSON to a New call as a C string. When the call fails because ONNX Runtime
// is not loaded, the error says why it did not load.
func (c *config) withJSON(call func(*C.char) error) error {
	encoded, err := json.Marshal(c.settings)
	if err != nil {
		return invalidArgument("options: %v", err)
	}
	err = withCString(string(encoded), call)
	var fe *Error
	if c.runtimeErr != nil && errors.As(err, &fe) && fe.Code == CodeRuntimeNotLoaded {
		return c.runtimeErr
	}
	return err
}

func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

func (c *config) positive(key string, n int) {
	if n <= 0 {
		c.fail(invalidArgument("%s must be positive, got %d", key, n))
		return
	}
	c.settings[key] = n
}

func (c *config) nonNegative(key string, n int) {
	if n < 0 {
		c.fail(invalidArgument("%s must not be negative, got %d", key, n))
		return
	}
	c.settings[key] = n
}

// Model repository files besides model.onnx and tokenizer.json that fastembed reads when present; image
// models read preprocessor_config.json, text models ignore it.
var optionalModelFiles = map[string]string{
	"config_file":              "config.json",
	"special_tokens_map_file":  "special_tokens_map.json",
	"tokenizer_config_file":    "tokenizer_config.json",
	"preprocessor_config_file": "preprocessor_config.json",
}

// WithModelDir uses a model folder laid out like a Hugging Face model repository: model.onnx and
// tokenizer.json (image models have none and ignore it), plus config.json, special_tokens_map.json,
// tokenizer_config.json and preprocessor_config.json when present.
func WithModelDir(dir string) Option {
	return func(c *config) {
		c.settings["model_file"] = filepath.Join(dir, "model.onnx")
		c.settings["tokenizer_file"] = filepath.Join(dir, "tokenizer.json")
		for key, name := range optionalModelFiles {
			if info, err := os.Stat(filepath.Join(dir, name)); err == nil && info.Mode().IsRegular() {
				c.settings[key] = filepath.Join(dir, name)
			}
		}
	}
}

// WithModelFile sets the ONNX model file.
func WithModelFile(path string) Option {
	return func(c *config) { c.settings["model_file"] = path }
}

// WithTokenizerFile sets the tokenizer.json file.
func WithTokenizerFile(path string) Option {
	return func(c *config) { c.settings["tokenizer_file"] = path }
}

// WithPreprocessorConfigFile sets an image model's preprocessor_config.json (its resizing, cropping and pixel
// normalization), for a model not given by WithModelDir.
func WithPreprocessorConfigFile(path string) Option {
	return func(c *config) { c.settings["preprocessor_config_file"] = path }
}

// WithMaxLength sets the maximum tokens per text (longer texts are truncated); default 512.
func WithMaxLength(n int) Option { return func(c *config) { c.positive("max_length", n) } }

// WithBatchSize sets the texts per ONNX Runtime run; default 256.
func WithBatchSize(n int) Option { return func(c *config) { c.positive("batch_size", n) } }

// WithThreads sets ONNX Runtime's threads per run; default: the number of cores.
func WithThreads(n int) Option { return func(c *config) { c.positive("threads", n) } }

// Pooling turns a dense model's token vectors into one vector per text.
type Pooling string

const (
	PoolingCLS  Pooling = "cls"
	PoolingMean Pooling = "mean"
	PoolingNone Pooling = "none"
	// PoolingLastToken takes the last real token (decoder embedders such as Qwen3-Embedding).
	PoolingLastToken Pooling = "last_token"
)

// WithPooling sets how token vectors are pooled (dense models); the model's default when not set.
func WithPooling(p Pooling) Option {
	return func(c *config) {
		switch p {
		case PoolingCLS, PoolingMean, PoolingNone, PoolingLastToken:
			c.settings["pooling"] = string(p)
		default:
			c.fail(invalidArgument("pooling must be cls, mean, last_token or none, got %q", string(p)))
		}
	}
}

// WithDimensions keeps each dense vector's first n values, normalized again (Matryoshka truncation, for models
// trained for it); more than the model's dimension is an error.
func WithDimensions(n int) Option { return func(c *config) { c.positive("dimensions", n) } }

// WithNormalize sets whether dense vectors are scaled to unit length; default true.
func WithNormalize(normalize bool) Option {
	return func(c *config) { c.settings["normalize"] = normalize }
}

// WithOutputName selects the model output to use, when the default choice is not the right one.
func WithOutputName(name string) Option {
	return func(c *config) { c.settings["output_name"] = name }
}

// WithOnnxRuntime sets the ONNX Runtime shared library loaded by the first model (see InitRuntime).
func WithOnnxRuntime(path string) Option {
	return func(c *config) { c.onnxRuntime = path }
}

// WithSparseAlgorithm chooses a sparse model's weighting; by default BM25 without a model file, else what the
// model's outputs show.
func WithSparseAlgorithm(a SparseAlgorithm) Option {
	return func(c *config) {
		switch a {
		case SparseSplade, SparseBM25, SparseBM42, SparseIfSplade, SparseMiniCoil:
			c.settings["sparse_model"] = string(a)
		default:
			c.fail(invalidArgument("sparse algorithm must be splade, bm25, bm42, if_splade or minicoil, got %q", string(a)))
		}
	}
}

// WithIDFFile sets the IDF table (idf.json) an inference-free SPLADE model weighs queries with.
func WithIDFFile(path string) Option {
	return func(c *config) { c.settings["idf_file"] = path }
}

// WithMiniCoilFiles sets miniCOIL's vocabulary, per-word matrices (.npy) and stopwords file ("" for none).
func WithMiniCoilFiles(vocab, weights, stopwords string) Option {
	return func(c *config) {
		c.settings["minicoil_vocab_file"] = vocab
		c.settings["minicoil_weights_file"] = weights
		if stopwords != "" {
			c.settings["stopwords_file"] = stopwords
		}
	}
}

// WithStopwords replaces the language's stopword list of BM25 and BM42 with these words.
func WithStopwords(words ...string) Option {
	return func(c *config) { c.settings["stopwords"] = words }
}

// WithLanguage sets the stemmer and stopword language of BM25 and BM42, e.g. "english" (the default).
func WithLanguage(language string) Option {
	return func(c *config) { c.settings["language"] = language }
}

// WithBM25Parameters sets BM25's term-frequency saturation k1 (default 1.2), length normalization b (0.75)
// and the average document length in words (256).
func WithBM25Parameters(k1, b, avgLen float32) Option {
	return func(c *config) {
		c.settings["k1"] = k1
		c.settings["b"] = b
		c.settings["avg_len"] = avgLen
	}
}

// WithoutStemmer makes BM25 use words as they are: no stemming and no stopword removal.
func WithoutStemmer() Option {
	return func(c *config) { c.settings["disable_stemmer"] = true }
}

// WithTokenMaxLength sets the longest word BM25 keeps, in characters; default 40.
func WithTokenMaxLength(n int) Option { return func(c *config) { c.positive("token_max_length", n) } }

// WithSigmoid makes a rerank model return sigmoid(logit), in (0, 1), instead of the raw logit.
func WithSigmoid(sigmoid bool) Option {
	return func(c *config) { c.sigmoid = &sigmoid }
}

// WithQueryMarkerID sets a late interaction model's query marker by token id (jina-colbert-v2: 250002) instead
// of ColBERT's "[unused0]".
func WithQueryMarkerID(id int) Option {
	return func(c *config) { c.nonNegative("query_marker_id", id) }
}

// WithDocumentMarkerID sets a late interaction model's document marker by token id (jina-colbert-v2: 250003)
// instead of ColBERT's "[unused1]".
func WithDocumentMarkerID(id int) Option {
	return func(c *config) { c.nonNegative("document_marker_id", id) }
}

// WithMaskToken sets the token late interaction queries are padded with; default "[MASK]".
func WithMaskToken(token string) Option {
	return func(c *config) { c.settings["mask_token"] = token }
}

// WithQueryLength sets the length late interaction queries are padded to with the mask token, marker
// included; default 32.
func WithQueryLength(n int) Option { return func(c *config) { c.positive("query_length", n) } }

// WithQueryExpansion sets whether late interaction queries are padded with the mask token at all; default
// true.
func WithQueryExpansion(expand bool) Option {
	return func(c *config) { c.settings["query_expansion"] = expand }
}

// WithQueryMaskAttention sets whether the mask padding of late interaction queries is attended; default false
// (jina-colbert-v2: true).
func WithQueryMaskAttention(attended bool) Option {
	return func(c *config) { c.settings["query_mask_attention"] = attended }
}

// WithQueryMaxLength sets the longest late interaction query in tokens, marker included; default: as
// documents.
func WithQueryMaxLength(n int) Option { return func(c *config) { c.positive("query_max_length", n) } }

// WithMarkers sets whether a late interaction model inserts its query and document markers after the first
// token; default true. Token embeddings (every attended token's vector) turn it off, with WithQueryExpansion,
// WithSkipPunctuation and usually WithNormalize.
func WithMarkers(markers bool) Option {
	return func(c *config) { c.settings["markers"] = markers }
}

// WithSkipPunctuation sets whether late interaction documents drop the vectors of punctuation tokens; default
// true.
func WithSkipPunctuation(skip bool) Option {
	return func(c *config) { c.settings["skip_punctuation"] = skip }
}

// WithImageLimits sets the decoding limits an image must pass before any pixel buffer is allocated: its
// pixels (default 50000000), its longest side (16384) and its encoded size in bytes (134217728). Zero keeps
// a limit's default.
func WithImageLimits(maxPixels, maxSide, maxBytes int) Option {
	return func(c *config) {
		for _, limit := range []struct {
			key string
			n   int
		}{{"image_max_pixels", maxPixels}, {"image_max_side", maxSide}, {"image_max_bytes", maxBytes}} {
			if limit.n != 0 {
				c.positive(limit.key, limit.n)
			}
		}
	}
}
