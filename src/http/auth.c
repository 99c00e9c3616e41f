/*
 * auth.c — authorisation from the route table. Until accounts exist, only
 * routes declared "public" are reachable: everything else is denied.
 */
#include <string.h>

#include "http/auth.h"

int auth_check(struct req *r)
{
	if (strcmp(r->route->permission, "public") == 0)
		return 0;
	reply_error(r, 401, "unauthenticated", NULL, "请先登录");
	return -1;
}

void auth_after_handler(struct req *r) { (void)r; }
void auth_req_cleanup(struct req *r) { (void)r; }
