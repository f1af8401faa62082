package fastembed

/*
#include "fastembed.h"
*/
import "C"

import (
	"fmt"
	"sync"
)

// runtimeState remembers a successful load, so that later models skip the call. A failed load is not
// remembered (unlike sync.Once would): the caller may retry with a corrected path.
var runtimeState struct {
	sync.Mutex
	loaded bool
}

// InitRuntime loads ONNX Runtime from the shared library at path, or, when path is "", from the
// ORT_DYLIB_PATH environment variable or the system's library path. The first successful load holds for the
// process: later calls with "" or the same library return nil, a different library is an error. New
// functions call it with their WithOnnxRuntime path, so calling it yourself is optional.
func InitRuntime(path string) error {
	if err := checkABI(); err != nil {
		return err
	}
	runtimeState.Lock()
	defer runtimeState.Unlock()
	if runtimeState.loaded && path == "" {
		return nil
	}
	var err error
	if path == "" {
		var cerr *C.fe_error
		err = check(C.fe_runtime_init(nil, &cerr), cerr)
	} else {
		err = withCString(path, func(cpath *C.char) error {
			var cerr *C.fe_error
			return check(C.fe_runtime_init(cpath, &cerr), cerr)
		})
	}
	if err == nil {
		runtimeState.loaded = true
	}
	return err
}

// checkABI fails when the library linked at run time implements another C ABI than the header this package
// was compiled against.
func checkABI() error {
	if library := uint32(C.fe_abi_version()); library != uint32(C.FE_ABI_VERSION) {
		return fmt.Errorf("fastembed: libfastembed implements C ABI %d, this package was built for %d",
			library, uint32(C.FE_ABI_VERSION))
	}
	return nil
}

// Version is the engine's version, e.g. "0.1.0".
func Version() string { return C.GoString(C.fe_version()) }

// ABIVersion is the C ABI version of the loaded libfastembed.
func ABIVersion() uint32 { return uint32(C.fe_abi_version()) }

// OnnxRuntimeVersion is the loaded ONNX Runtime's version, e.g. "1.29.0", or "" before it is loaded.
func OnnxRuntimeVersion() string {
	version := C.fe_onnxruntime_version()
	if version == nil {
		return ""
	}
	return C.GoString(version)
}
