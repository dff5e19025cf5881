// nghttp2 (Debian: libnghttp2-dev).
#include <nghttp2/nghttp2.h>
