/* A stand-in for an ONNX Runtime too old for the engine: it exports OrtGetApiBase like the real library, says it
 * is version 1.4.0, and serves no C API version at all (1.4 does not serve version 11, which the engine asks for). */
#include <stddef.h>

typedef struct {
    const void *(*GetApi)(unsigned version);
    const char *(*GetVersionString)(void);
} OrtApiBase;

static const void *get_api(unsigned version) {
    (void) version;
    return NULL;
}

static const char *version_string(void) {
    return "1.4.0";
}

static const OrtApiBase base = {get_api, version_string};

const OrtApiBase *OrtGetApiBase(void) {
    return &base;
}
