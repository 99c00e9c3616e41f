/*
 * supervision.h — what the supervision handlers (h_supervision.c,
 * h_sup_inspectors.c) and `yiye supervision` share (sup-core, issue 13).
 */
#ifndef YIYE_HTTP_SUPERVISION_H
#define YIYE_HTTP_SUPERVISION_H

#include <jansson.h>

#include "store/store_supervision.h"

/* One exported event as the API and `yiye supervision export` give it:
 * {"seq","kind","ref","uscc"|null,"at","detail":{…}}. */
json_t *sup_event_json(const struct sup_event *ev);

#endif
