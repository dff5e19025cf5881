// The metering ingest ceiling in C (issue 6): what the SQLite library itself can do with the
// service's rows, with nothing between the caller and sqlite3 but prepared statements.
//
//   ceiling DB TABLES_SQL METERS DURATION_S insert|upsert DAYS_PER_BATCH OUT_JSON
//
// Same rows in the same order as bench.py (day-major over the meter points; values from
// milli_value), into a fresh file made from the service's own `tables` SQL, WAL +
// synchronous=FULL, one transaction per batch (BEGIN IMMEDIATE; look up the meter point's seq
// for each meter-day; 96 × DAYS_PER_BATCH rows; COMMIT) — the service's write path without gRPC,
// protobuf or Swift. Build: gcc -O2 -o ceiling ceiling.c -lsqlite3
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

enum { DAY = 86400, INTERVAL = 900, PER_DAY = DAY / INTERVAL };
static const int64_t FIRST_DAY = 1704067200;  // 2024-01-01T00:00:00Z, as in bench.py

static const char *INSERT_SQL =
    "INSERT INTO readings (meter_seq, kind, start_s, channel, milli, quality, record_ms) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char *UPSERT_SQL =
    "INSERT INTO readings (meter_seq, kind, start_s, channel, milli, quality, record_ms) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (meter_seq, kind, start_s, channel) DO UPDATE "
    "SET milli = excluded.milli, quality = excluded.quality, record_ms = excluded.record_ms "
    "WHERE readings.edit_ms IS NULL AND (readings.milli <> excluded.milli OR readings.quality <> excluded.quality)";

static void die(sqlite3 *db, const char *what) {
    fprintf(stderr, "ceiling: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql) {
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK) {
        fprintf(stderr, "ceiling: %s: %s\n", sql, error ? error : "?");
        sqlite3_free(error);
        exit(1);
    }
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_s(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 + (double)usage.ru_stime.tv_sec +
           (double)usage.ru_stime.tv_usec / 1e6;
}

static char *read_file(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); exit(1); }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    char *text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, file) != (size_t)size) { perror(path); exit(1); }
    text[size] = 0;
    fclose(file);
    return text;
}

// bench.py's milli_value: a deterministic, plausible 15-minute read in milli-kWh.
static int64_t milli_value(int64_t meter, int64_t start) {
    return 50 + (meter * 7919 + start / INTERVAL * 104729) % 550;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: ceiling DB TABLES_SQL METERS DURATION_S insert|upsert DAYS_PER_BATCH OUT_JSON\n");
        return 2;
    }
    const char *path = argv[1], *out = argv[7];
    int meters = atoi(argv[3]), days_per_batch = atoi(argv[6]);
    double duration = atof(argv[4]);
    int upsert = strcmp(argv[5], "upsert") == 0;
    if (meters <= 0 || days_per_batch <= 0 || duration <= 0) { fprintf(stderr, "ceiling: bad numbers\n"); return 2; }

    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK) die(db, "open");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = FULL");
    char *tables = read_file(argv[2]);
    exec(db, tables);
    free(tables);

    sqlite3_stmt *add_meter = NULL, *find_meter = NULL, *insert = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO meter_points (seq, id, body, premise_id, meter_asset_id, status, commodity, "
                               "purpose) VALUES (?, ?, x'00', 'PRM-0', '', 2, 1, 1)", -1, &add_meter, NULL) != SQLITE_OK)
        die(db, "prepare meter_points insert");
    if (sqlite3_prepare_v2(db, "SELECT seq FROM meter_points WHERE id = ?", -1, &find_meter, NULL) != SQLITE_OK)
        die(db, "prepare meter lookup");
    if (sqlite3_prepare_v2(db, upsert ? UPSERT_SQL : INSERT_SQL, -1, &insert, NULL) != SQLITE_OK)
        die(db, "prepare readings insert");

    char id[40];
    exec(db, "BEGIN");
    for (int i = 0; i < meters; i++) {
        snprintf(id, sizeof id, "MTR-%026d", i);
        sqlite3_bind_int64(add_meter, 1, i + 1);
        sqlite3_bind_text(add_meter, 2, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(add_meter) != SQLITE_DONE) die(db, "insert meter point");
        sqlite3_reset(add_meter);
    }
    exec(db, "COMMIT");

    long long rows = 0, batches = 0;
    int64_t meter = 0, day = 0;  // day-major over all meter points, like bench.py's meter_days(meters, 1, 0)
    double cpu0 = cpu_s(), t0 = now_s(), deadline = t0 + duration;
    while (now_s() < deadline) {
        struct timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        int64_t now_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
        exec(db, "BEGIN IMMEDIATE");
        for (int k = 0; k < days_per_batch; k++) {
            snprintf(id, sizeof id, "MTR-%026lld", (long long)meter);
            sqlite3_bind_text(find_meter, 1, id, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(find_meter) != SQLITE_ROW) die(db, "meter lookup");
            int64_t seq = sqlite3_column_int64(find_meter, 0);
            sqlite3_reset(find_meter);
            int64_t start0 = FIRST_DAY + day * DAY;
            for (int64_t start = start0; start < start0 + DAY; start += INTERVAL) {
                sqlite3_bind_int64(insert, 1, seq);
                sqlite3_bind_int(insert, 2, 1);
                sqlite3_bind_int64(insert, 3, start);
                sqlite3_bind_int(insert, 4, 1);
                sqlite3_bind_int64(insert, 5, milli_value(meter, start));
                sqlite3_bind_int(insert, 6, 1);
                sqlite3_bind_int64(insert, 7, now_ms);
                if (sqlite3_step(insert) != SQLITE_DONE) die(db, "insert reading");
                sqlite3_reset(insert);
            }
            rows += PER_DAY;
            if (++meter == meters) { meter = 0; day++; }
        }
        exec(db, "COMMIT");
        batches++;
    }
    double wall_s = now_s() - t0, cpu = cpu_s() - cpu0;
    sqlite3_finalize(add_meter);
    sqlite3_finalize(find_meter);
    sqlite3_finalize(insert);
    if (sqlite3_close(db) != SQLITE_OK) die(db, "close");

    FILE *json = fopen(out, "w");
    if (!json) { perror(out); return 1; }
    fprintf(json, "{\"mode\": \"%s\", \"readings\": %lld, \"batches\": %lld, \"wall_s\": %.6f, \"cpu_s\": %.6f, "
                  "\"readings_per_s\": %.3f, \"days_per_batch\": %d, \"language\": \"C\"}\n",
            upsert ? "upsert" : "insert", rows, batches, wall_s, cpu, (double)rows / wall_s, days_per_batch);
    fclose(json);
    return 0;
}
