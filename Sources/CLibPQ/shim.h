#ifndef TICKETS_LIBPQ_SHIM_H
#define TICKETS_LIBPQ_SHIM_H
/* Debian's libpq-dev puts the header under postgresql/; postgres_ext.h, which it
   includes with quotes, is found beside it. */
#include <postgresql/libpq-fe.h>
#endif
