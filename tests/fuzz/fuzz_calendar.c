/* Fuzz target: calendar year files; a rejected file leaves the calendar
 * unchanged (all or nothing), an accepted one answers queries. */
#include <stdint.h>
#include <stdlib.h>

#include "core/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar cal;
	char err[256];
	int day, n;

	calendar_init(&cal);
	if (calendar_load_json(&cal, (const char *)data, size, err, sizeof(err)) == 0) {
		if (cal.nyears != 1)
			abort();
		calendar_add_workdays(&cal, cal.years[0].jan1, 30, &day, NULL);
		calendar_count_workdays(&cal, cal.years[0].jan1, cal.years[0].jan1 + 365, &n, NULL);
	} else if (cal.nyears != 0) {
		abort();
	}
	calendar_free(&cal);
	return 0;
}
