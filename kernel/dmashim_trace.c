// SPDX-License-Identifier: GPL-2.0
/*
 * dmashim trace events: the one place they are defined (CREATE_TRACE_POINTS);
 * the events themselves, and why they carry what they carry, are in
 * dmashim_trace.h.
 */
#define CREATE_TRACE_POINTS
#include "dmashim_trace.h"
