// SPDX-License-Identifier: GPL-2.0
/// Find dmashim calls whose int return value is thrown away.
///
/// Every int-returning dmashim function reports a refused handle, a revoked
/// context or a failed allocation through its return value, so a bare
/// "dmashim_xxx(...);" statement hides a bug.  The rule asks spatch for the
/// type of the call, taken from the prototypes in include/dmashim.h, so it
/// covers any dmashim_* or devm_dmashim_* function that returns int,
/// including ones added later, and never the void ones
/// (dmashim_ctx_destroy() and friends).
///
/// Not reported: an explicit (void) cast, which states that the result is
/// not needed; results stored in a variable and then overwritten unchecked
/// (out of reach of this rule).
//
// Options: --all-includes --include-headers-for-types
// (check.sh adds -I include so that <dmashim.h> is found.)

virtual report

@ignored depends on report@
identifier f =~ "^(devm_)?dmashim_";
expression list es;
int E;
position p;
@@
(
 E@p
&
 f(es)
);

@script:python depends on report@
p << ignored.p;
f << ignored.f;
@@
coccilib.report.print_report(p[0],
	"return value of %s() ignored: check it, or cast to (void) if it truly cannot matter" % f)
