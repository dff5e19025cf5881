#ifndef C_HEAP_PROBE_H
#define C_HEAP_PROBE_H
#include <stddef.h>

/* Bytes of heap currently allocated through malloc (glibc's mallinfo2), for leak tests. */
size_t qe_heap_bytes_in_use(void);

#endif
