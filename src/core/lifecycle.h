#ifndef YIYE_CORE_LIFECYCLE_H
#define YIYE_CORE_LIFECYCLE_H
/*
 * lifecycle.h — the kind-specific rules of a license's life (issue 12,
 * point 7): which application kinds a license in a given status may take,
 * the extension window, and which departments review a change (and which
 * are only told). Pure: no SQL, no sockets; the handler (h_app_life.c)
 * reads the license and the catalog, asks these functions, and writes the
 * application they describe. Unit-tested in tests/unit/test_lifecycle.c.
 *
 * Kinds (POST /api/v1/applications "kind"):
 *   new      新办  the application of issue 11 (no license yet; the default)
 *   change   变更  name, legal representative, address, permits added/removed
 *   extend   延续  a new term, only inside the extension window
 *   cancel   注销  no department review beyond acceptance; the license ends
 *   reissue  补办  lost or damaged (reason required); no review, same content
 *
 * Which status of the license allows which kind (409 license_state
 * otherwise, the message naming the status):
 *   change, extend, reissue   valid
 *   cancel                    valid, suspended (a suspended business may
 *                             still give its license up)
 *
 * Who reviews a change (the CHANGE TABLE, life_plan): every department
 * owning a permit of the license that does not review is told (a
 * notification when the new version is issued).
 *   changed fact      reviews                                  inspects
 *   ----------------  ---------------------------------------  --------------------------
 *   name              nobody (registration already checked     —
 *                     it; the window compares it with the
 *                     entity register at acceptance)
 *   legal_rep         departments of the permits in
 *                     life_rep_permits (their grant examines    —
 *                     the legal representative in person:
 *                     drugs, class III devices, tobacco,
 *                     hotels, entertainment, internet cafés —
 *                     modelled, to confirm with each department)
 *   address           every department of the license after   departments with a permit
 *                     the change (the premises are what most   that needs an on-site
 *                     permits are granted for)                 inspection (a new 一同核查)
 *   permit added      the added permit's department            when that permit needs one
 *   permit removed    nobody (its department is told)          —
 * extend: every department of the license reviews (whether its conditions
 * still hold), no inspection; cancel and reissue: nobody (approved at
 * acceptance).
 */
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/error.h"
#include "core/workflow.h"

enum life_kind { LIFE_NEW, LIFE_CHANGE, LIFE_EXTEND, LIFE_CANCEL, LIFE_REISSUE, LIFE_KIND_COUNT };

/* "change" / "变更"; NULL out of range. */
const char *life_kind_name(enum life_kind k);
const char *life_kind_label(enum life_kind k);
/* Kind by API name; -1 when unknown. */
int life_kind_parse(const char *name);

/* Chinese label of a license status ("valid" → "有效"); the name itself
 * when unknown. */
const char *life_status_label(const char *status);

/* 0 when a license in `status` may take an application of kind k; else 409
 * license_state (field "license") naming the status. */
int life_check_status(enum life_kind k, const char *status, struct yerr *err);

/*
 * life_check_extend: an extension may be applied for from open_days before
 * valid_until up to close_days before it (both days inclusive; the catalog's
 * window, lic-core). valid_until < 0 means 长期有效: 409 no_term. Outside
 * the window: 409 outside_extension_window, the message naming the window's
 * first and last day and valid_until. Days are date.h day numbers.
 */
int life_check_extend(int today, int valid_until, long open_days, long close_days,
		      struct yerr *err);

/*
 * life_extend_term: the next term of an extended license: it starts the day
 * after valid_until and lasts as long as the current one in whole years
 * (valid_from 2026-12-02, valid_until 2031-12-01 → 2031-12-02 .. 2036-12-01).
 * 0 with *from, *until set; -1 (400 invalid_term) for a term that is not
 * whole years or a date out of range.
 */
int life_extend_term(int valid_from, int valid_until, int *from, int *until, struct yerr *err);

/* A permit of the license (or one added by a change), as the core needs it. */
struct life_permit {
	char code[WF_CODE_MAX];
	char department[WF_CODE_MAX];
	bool inspection;  /* the catalog says it needs an on-site inspection */
	long review_days; /* its committed working days */
};

/* What a change application changes. NULL / 0: unchanged. */
struct life_change {
	const char *name, *legal_rep, *address;
	const struct life_permit *add; /* resolved from the catalog by the caller */
	size_t nadd;
	const char *const *remove; /* permit codes of the license */
	size_t nremove;
};

/* Whether a permit's grant examines the legal representative in person
 * (the legal_rep row of the change table). */
bool life_rep_permit(const char *code);

/* The departments told (not reviewing) of a lifecycle application. */
struct life_plan {
	struct wf_app wf; /* depts that review; permits after the change; all_committed when
			     nobody reviews (approved at acceptance) */
	char informed[WF_MAX_DEPTS][WF_CODE_MAX];
	size_t ninformed;
	bool inspection; /* some department inspects */
};

/*
 * life_plan decides the workflow of a lifecycle application of kind k on a
 * license with `permits`: for change, chg says what changes (400
 * change_required, field "change", when nothing does; 400 invalid_change,
 * field "change.permits_add[i]" / "change.permits_remove[i]", for a permit
 * already held, one not held, or removing every permit — that is a
 * cancellation). out->wf is a draft with the reviewing departments (review
 * pending, inspect pending where the table says), the permits after the
 * change and all_committed = no department reviews. 422 too_many_permits
 * past WF_MAX_PERMITS / WF_MAX_DEPTS.
 */
int life_plan(enum life_kind k, const struct life_permit *permits, size_t npermits,
	      const struct life_change *chg, long acceptance_days, struct life_plan *out,
	      struct yerr *err);

/*
 * life_next_doc builds the content of the license's next version from the
 * previous version's document `prev` (the signed doc of
 * docs/api-licenses.md) and the application's stored change (the
 * applications.life_change JSON h_app_life.c wrote: "name", "legal_rep",
 * "address", "permits_add" as license permit entries {code, name,
 * department, department_name, basis}, "permits_remove" codes). Every kind
 * gives version + 1, issued_on = today and no kid / sig / eid (issuance
 * signs and identifies the new version); change applies the fields and
 * permits; extend moves valid_from / valid_until (life_extend_term);
 * reissue changes nothing else. cancel has no next version: 400
 * invalid_kind. Returns a new object (caller decrefs) or NULL with err set.
 */
json_t *life_next_doc(const json_t *prev, enum life_kind k, const json_t *change, int today,
		      struct yerr *err);

#endif
