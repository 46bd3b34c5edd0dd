/* region.h - the pages of many tenants on one deployment: 辖区汇总 for a
 * parent tenant's leaders (web/region.c) and the operator's 地区管理
 * (web/tenants.c). */
#ifndef JB_WEB_REGION_H
#define JB_WEB_REGION_H

#include "web/web.h"

/* GET /region and GET /api/v1/region (region.read). */
void page_region(struct req *r);
void api_region(struct req *r);

/* GET /ops/tenants, GET /ops/tenants/new, POST /ops/tenants (also
 * /api/v1/tenants), GET and POST /ops/tenants/:id (tenant.manage). */
void page_tenants(struct req *r);
void page_tenant_new(struct req *r);
void act_tenant_create(struct req *r);
void page_tenant(struct req *r);
void act_tenant_update(struct req *r);

#endif
