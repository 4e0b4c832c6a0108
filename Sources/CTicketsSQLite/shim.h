#ifndef TICKETS_SQLITE_SHIM_H
#define TICKETS_SQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift does not import. */
static inline sqlite3_destructor_type tickets_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/* sqlite3_config is variadic, which Swift does not call. Memory statistics take a global
   mutex on every allocation, and nothing here reads them; off before the first open. */
static inline void tickets_sqlite_configure(void) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#include <malloc.h>
/* A bulk load (ImportStage) frees and reallocates FTS5's pending index, about 1 MiB, at
   every flush; with glibc's default trim threshold each round trip shrank and regrew the
   heap (55,000 brk calls for 30,000 tickets). Keep freed memory for the next round. */
static inline void tickets_keep_freed_heap(void) {
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
}
#endif
