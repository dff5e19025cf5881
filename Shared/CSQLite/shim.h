// SQLite 3 (Debian: libsqlite3-dev), the embedded store behind ServiceKit's `Store`.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro that casts -1 to a function pointer, which Swift cannot import.
// It tells SQLite to copy a bound text or blob before the bind call returns, so the Swift
// buffer may go away right after.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
