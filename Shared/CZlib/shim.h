// zlib (Debian: zlib1g-dev), for gzip/deflate message compression.
#include <zlib.h>
