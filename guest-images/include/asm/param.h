/*
 * asm/param.h - HZ, the timer interrupt rate.
 */
#ifndef _ASM_PARAM_H
#define _ASM_PARAM_H

#define HZ 100

#endif
