/*
 * kernel/extable.c - lookup in the exception table (asm/extable.h).
 *
 * The linker gathers every __ex_table entry between __start___ex_table and
 * __stop___ex_table.  The table is small, so a linear search will do.
 */
#include <asm/extable.h>

extern const struct exception_table_entry __start___ex_table[];
extern const struct exception_table_entry __stop___ex_table[];

/* search_exception_tables - the fixup address registered for addr, or 0. */
unsigned long search_exception_tables(unsigned long addr)
{
	const struct exception_table_entry *e;

	for (e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == addr)
			return e->fixup;
	return 0;
}
