package deploy_test

import (
	"regexp"
	"strings"
	"testing"
)

// query is one PromQL expression found in a shipped file, with where it
// was found.
type query struct {
	where string
	expr  string
}

var (
	// A series selector: a metric name and its optional matchers.
	selectorRE = regexp.MustCompile(`\b(lcngw_[A-Za-z0-9_]+)(\{([^}]*)\})?`)
	// One label matcher.
	matcherRE = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"`)
	// Grouping and matching clauses.
	groupingRE = regexp.MustCompile(`\b(?:by|without|on|ignoring)\s*\(([^)]*)\)`)
	// Recording rule names (level:metric:operations).
	recordedRE = regexp.MustCompile(`\blcngw:[A-Za-z0-9_:]+`)
	// label_values(selector, label) in Grafana variable queries.
	labelValuesRE = regexp.MustCompile(`label_values\((lcngw_[A-Za-z0-9_]+)(?:\{[^}]*\})?\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)`)
	// Literal alternatives such as invalid|missing|downgraded.
	alternativesRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+(\|[A-Za-z0-9_.-]+)*$`)
)

// targetLabels are added by Prometheus to every scraped series.
var targetLabels = map[string]bool{"job": true, "instance": true}

// checkQuery reports every metric q selects that is not exported, every
// label it matches, groups by or names in legend that the metrics it uses
// do not have, and every literal label value no series carries.
func checkQuery(t *testing.T, fams map[string]family, q query, legend string) {
	t.Helper()
	available := copySet(targetLabels)
	for _, sel := range selectorRE.FindAllStringSubmatch(q.expr, -1) {
		name, matchers := sel[1], sel[3]
		f, ok := fams[name]
		if !ok {
			t.Errorf("%s: %s is not exported", q.where, name)
			continue
		}
		for l := range f.labels {
			available[l] = true
		}
		for _, m := range matcherRE.FindAllStringSubmatch(matchers, -1) {
			checkMatcher(t, q.where, name, f, m[1], m[2], m[3])
		}
	}
	for _, name := range recordedRE.FindAllString(q.expr, -1) {
		for l := range fams[name].labels {
			available[l] = true
		}
	}
	for _, lv := range labelValuesRE.FindAllStringSubmatch(q.expr, -1) {
		if f, ok := fams[lv[1]]; ok && !f.labels[lv[2]] && !targetLabels[lv[2]] {
			t.Errorf("%s: label_values of %s by %q, a label it does not have", q.where, lv[1], lv[2])
		}
	}
	for _, g := range groupingRE.FindAllStringSubmatch(q.expr, -1) {
		for l := range strings.SplitSeq(g[1], ",") {
			if l = strings.TrimSpace(l); l != "" && !available[l] {
				t.Errorf("%s: groups by %q, which none of its metrics has", q.where, l)
			}
		}
	}
	for _, m := range regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`).FindAllStringSubmatch(legend, -1) {
		if !available[m[1]] {
			t.Errorf("%s: legend names %q, which none of its metrics has", q.where, m[1])
		}
	}
}

// checkMatcher reports a matcher on a label the family lacks, or on a
// literal value (or literal alternatives) no series carries.
func checkMatcher(t *testing.T, where, name string, f family, label, op, value string) {
	t.Helper()
	if targetLabels[label] {
		return
	}
	if !f.labels[label] {
		t.Errorf("%s: %s has no label %q", where, name, label)
		return
	}
	if strings.Contains(value, "$") || (strings.HasSuffix(op, "~") && !alternativesRE.MatchString(value)) {
		return // a dashboard variable, or a real regular expression
	}
	for v := range strings.SplitSeq(value, "|") {
		if !f.values[label][v] {
			t.Errorf("%s: %s{%s%s%q}: no series has %s=%q", where, name, label, op, value, label, v)
		}
	}
}

// copySet copies a set.
func copySet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
