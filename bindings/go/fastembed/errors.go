package fastembed

import (
	"errors"
	"fmt"
)

// Code is the engine's result code (fe_result in fastembed.h). The numbers are the C ABI's and stable.
type Code int

const (
	CodeOK               Code = 0
	CodeNullArgument     Code = 1
	CodeInvalidArgument  Code = 2
	CodeIO               Code = 3
	CodeInvalidModel     Code = 4
	CodeTokenizer        Code = 5
	CodeOnnxRuntime      Code = 6
	CodeRuntimeNotLoaded Code = 7
	CodeImage            Code = 8
	CodeCancelled        Code = 9
	CodeTimedOut         Code = 10
	CodeResource         Code = 11
	CodePanic            Code = 99
)

var codeNames = map[Code]string{
	CodeOK:               "ok",
	CodeNullArgument:     "null argument",
	CodeInvalidArgument:  "invalid argument",
	CodeIO:               "I/O error",
	CodeInvalidModel:     "invalid model",
	CodeTokenizer:        "tokenizer error",
	CodeOnnxRuntime:      "ONNX Runtime error",
	CodeRuntimeNotLoaded: "ONNX Runtime not loaded",
	CodeImage:            "image error",
	CodeCancelled:        "cancelled",
	CodeTimedOut:         "timed out",
	CodeResource:         "out of memory",
	CodePanic:            "internal error",
}

func (c Code) String() string {
	if name, ok := codeNames[c]; ok {
		return name
	}
	return fmt.Sprintf("result %d", int(c))
}

// Error is a failure reported by the engine, or an argument this package rejected before calling it.
// Use errors.As to read the Code.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("fastembed: %s: %s", e.Code, e.Message)
}

// ErrClosed is returned by every call on a model after Close (or on a nil model).
var ErrClosed = errors.New("fastembed: model is closed")

func invalidArgument(format string, args ...any) error {
	return &Error{Code: CodeInvalidArgument, Message: fmt.Sprintf(format, args...)}
}
