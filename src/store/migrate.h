#ifndef YIYE_MIGRATE_H
#define YIYE_MIGRATE_H
/* One numbered migration, embedded from src/store/migrations/NNNN_name.sql. */
struct migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct migration migrations[];
extern const int migrations_count;
#endif
