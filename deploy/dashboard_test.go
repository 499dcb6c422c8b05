package deploy_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var dashboardRulesOut = flag.String("dashboard-rules-out", "",
	"TestDashboard writes every dashboard query, variables substituted, to this file as recording rules for `promtool check rules`")

// panel is the part of a Grafana panel the tests read.
type panel struct {
	ID         int             `json:"id"`
	Type       string          `json:"type"`
	Title      string          `json:"title"`
	Datasource json.RawMessage `json:"datasource"`
	GridPos    struct{ H, W, X, Y int }
	Targets    []struct {
		Datasource   json.RawMessage `json:"datasource"`
		Expr         string          `json:"expr"`
		LegendFormat string          `json:"legendFormat"`
	} `json:"targets"`
	Panels []panel `json:"panels"`
}

type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			Definition string          `json:"definition"`
			Datasource json.RawMessage `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
}

const datasourceRef = `{"type":"prometheus","uid":"${datasource}"}`

func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	data, err := os.ReadFile("grafana/lcngw.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// sameJSON compares a raw JSON value with want, ignoring layout.
func sameJSON(raw json.RawMessage, want string) bool {
	var a, b any
	return json.Unmarshal(raw, &a) == nil && json.Unmarshal([]byte(want), &b) == nil &&
		fmt.Sprint(a) == fmt.Sprint(b)
}

// TestDashboard: every query uses exported metrics and labels, defined
// variables and the ${datasource} variable; panels have unique ids and do
// not overlap.
func TestDashboard(t *testing.T) {
	fams, d := exported(t), loadDashboard(t)
	vars := map[string]bool{"__rate_interval": true, "__range": true, "__interval": true}
	for _, v := range d.Templating.List {
		vars[v.Name] = true
		if v.Type == "datasource" {
			if !sameJSON(v.Query, `"prometheus"`) {
				t.Errorf("variable %s: query %s, want prometheus", v.Name, v.Query)
			}
			continue
		}
		if !sameJSON(v.Datasource, datasourceRef) {
			t.Errorf("variable %s: datasource %s", v.Name, v.Datasource)
		}
		checkQuery(t, fams, query{"variable " + v.Name, v.Definition}, "")
	}
	if !vars["datasource"] || !vars["merchant"] || !vars["endpoint"] {
		t.Errorf("variables %v: datasource, merchant and endpoint are required", vars)
	}
	var rules []map[string]string
	seen, cells := map[int]string{}, map[[2]int]string{}
	for _, p := range flatten(d.Panels) {
		where := fmt.Sprintf("panel %d %q", p.ID, p.Title)
		if prev, dup := seen[p.ID]; dup {
			t.Errorf("%s: id already used by %q", where, prev)
		}
		seen[p.ID] = p.Title
		occupy(t, cells, p)
		if p.Type == "row" {
			continue
		}
		if !sameJSON(p.Datasource, datasourceRef) {
			t.Errorf("%s: datasource %s", where, p.Datasource)
		}
		if len(p.Targets) == 0 {
			t.Errorf("%s: no query", where)
		}
		for i, tg := range p.Targets {
			if !sameJSON(tg.Datasource, datasourceRef) {
				t.Errorf("%s: target %d datasource %s", where, i, tg.Datasource)
			}
			checkVariables(t, where, tg.Expr, vars)
			checkQuery(t, fams, query{where, tg.Expr}, tg.LegendFormat)
			rules = append(rules, map[string]string{
				"record": fmt.Sprintf("lcngw_dashboard:panel_%d_%d", p.ID, i), "expr": substitute(tg.Expr)})
		}
	}
	if *dashboardRulesOut != "" {
		writeRules(t, *dashboardRulesOut, rules)
	}
}

// TestDashboardCovers: the dashboard shows what operators look for.
func TestDashboardCovers(t *testing.T) {
	data, err := os.ReadFile("grafana/lcngw.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"histogram_quantile(0.99, sum by (le) (rate(lcngw_delivery_latency_seconds_bucket",
		"lcngw_delivery_requests_failed_total", "lcngw_retry_pending", "lcngw_dead_letters_total",
		"lcngw_kafka_consumer_lag", "lcngw_endpoint_circuit_state", "lcngw_events_invalid_total",
		"lcngw_receiver_verifications_total", "lcngw_events_consumed_total", "lcngw_dead_letter_records",
		"lcngw_endpoint_oldest_undelivered_timestamp_seconds", "lcngw_endpoint_last_success_timestamp_seconds",
		"up{", "process_cpu_seconds_total", "process_resident_memory_bytes", "go_gc_duration_seconds",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("no query uses %s", want)
		}
	}
}

// TestDashboardPanelsSafe: per-endpoint panels show the top endpoints
// only, every quantile works with classic and native histograms, and each
// panel has one unit.
func TestDashboardPanelsSafe(t *testing.T) {
	data, err := os.ReadFile("grafana/lcngw.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Panels []map[string]any `json:"panels"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, p := range flatten(loadDashboard(t).Panels) {
		for _, tg := range p.Targets {
			where := fmt.Sprintf("panel %d %q", p.ID, p.Title)
			if strings.Contains(tg.Expr, "by (merchant, endpoint") && !strings.HasPrefix(tg.Expr, "topk(") {
				t.Errorf("%s: a per-endpoint query without topk: %s", where, tg.Expr)
			}
			if strings.Contains(tg.Expr, "_bucket{") && !nativeTwinRE.MatchString(tg.Expr) {
				t.Errorf("%s: a classic-histogram quantile without its native twin: %s", where, tg.Expr)
			}
		}
	}
	for _, p := range raw.Panels {
		fc, _ := p["fieldConfig"].(map[string]any)
		for _, o := range asSlice(fc["overrides"]) {
			if strings.Contains(fmt.Sprint(o), "unit") {
				t.Errorf("panel %v %q: an override sets a second unit", p["id"], p["title"])
			}
		}
	}
}

// nativeTwinRE matches a quantile over _bucket followed by the same
// quantile over the native histogram.
var nativeTwinRE = regexp.MustCompile(`_bucket\{[^}]*\}\[[^\]]*\]\)\)\) or histogram_quantile\(`)

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// flatten lists panels, those inside collapsed rows included.
func flatten(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, flatten(p.Panels)...)
	}
	return out
}

// occupy marks the grid cells of p, reporting overlaps and panels wider
// than the 24-column grid.
func occupy(t *testing.T, cells map[[2]int]string, p panel) {
	t.Helper()
	g := p.GridPos
	if g.W <= 0 || g.H <= 0 || g.X < 0 || g.X+g.W > 24 {
		t.Errorf("panel %q: gridPos %+v outside the grid", p.Title, g)
	}
	for x := g.X; x < g.X+g.W; x++ {
		for y := g.Y; y < g.Y+g.H; y++ {
			if other, taken := cells[[2]int{x, y}]; taken {
				t.Errorf("panel %q overlaps %q at (%d,%d)", p.Title, other, x, y)
				return
			}
			cells[[2]int{x, y}] = p.Title
		}
	}
}

var variableRE = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// checkVariables reports dashboard variables a query uses but nothing
// defines.
func checkVariables(t *testing.T, where, expr string, vars map[string]bool) {
	t.Helper()
	for _, m := range variableRE.FindAllStringSubmatch(expr, -1) {
		if !vars[m[1]] {
			t.Errorf("%s: undefined variable $%s", where, m[1])
		}
	}
}

// substitute replaces the variables by values Prometheus accepts.
func substitute(expr string) string {
	return strings.NewReplacer("$__rate_interval", "5m", "$__range", "6h", "$__interval", "1m",
		"$job", ".*", "$merchant", ".*", "$endpoint", ".*", "$receiver_job", ".*").Replace(expr)
}

// writeRules writes recording rules for promtool to parse.
func writeRules(t *testing.T, path string, rules []map[string]string) {
	t.Helper()
	out, err := yaml.Marshal(map[string]any{"groups": []any{map[string]any{"name": "lcngw.dashboard", "rules": rules}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
