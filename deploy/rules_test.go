package deploy_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// rulesFile is the shape of a Prometheus rule file.
type rulesFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Record      string            `yaml:"record"`
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

// loadRules decodes the shipped rules strictly.
func loadRules(t *testing.T) []rule {
	t.Helper()
	data, err := os.ReadFile("prometheus/lcngw-rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	var rf rulesFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&rf); err != nil {
		t.Fatal(err)
	}
	var out []rule
	for _, g := range rf.Groups {
		out = append(out, g.Rules...)
	}
	return out
}

// TestRulesUseExportedMetrics: every metric, label and label value a rule
// uses exists, and every recording rule a rule uses is defined.
func TestRulesUseExportedMetrics(t *testing.T) {
	fams := exported(t)
	rules := loadRules(t)
	recorded := recordedNames(rules)
	for _, r := range rules {
		// A recorded series keeps the labels its outer aggregation keeps.
		if g := groupingRE.FindStringSubmatch(r.Expr); r.Record != "" && g != nil {
			f := family{labels: map[string]bool{}}
			for l := range strings.SplitSeq(g[1], ",") {
				f.labels[strings.TrimSpace(l)] = true
			}
			fams[r.Record] = f
		}
	}
	for _, r := range rules {
		where := "rule " + r.Record + r.Alert
		checkQuery(t, fams, query{where, r.Expr}, "")
		for _, name := range recordedRE.FindAllString(r.Expr, -1) {
			if !recorded[name] {
				t.Errorf("%s: uses %s, which no rule records", where, name)
			}
		}
	}
}

// TestAlertsDocumented: every alert has a severity, a summary and a
// description, and is explained in docs/operations.md; the alerts the
// operations guide promises exist.
func TestAlertsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	var alerts []string
	for _, r := range loadRules(t) {
		if r.Alert == "" {
			continue
		}
		alerts = append(alerts, r.Alert)
		if s := r.Labels["severity"]; s != "warning" && s != "critical" {
			t.Errorf("%s: severity %q", r.Alert, s)
		}
		if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
			t.Errorf("%s: summary and description are required", r.Alert)
		}
		if !strings.Contains(string(doc), "`"+r.Alert+"`") {
			t.Errorf("%s is not explained in docs/operations.md", r.Alert)
		}
		anchor := strings.ToLower(r.Alert)
		if got := r.Annotations["runbook_url"]; got != runbookBase+anchor {
			t.Errorf("%s: runbook_url %q, want %q", r.Alert, got, runbookBase+anchor)
		}
		if !strings.Contains(string(doc), "\n### "+r.Alert+"\n") {
			t.Errorf("%s: docs/operations.md has no section \"### %s\" for its runbook_url anchor", r.Alert, r.Alert)
		}
	}
	for _, want := range []string{"LcngwEndpointFailing", "LcngwDeadLetters", "LcngwConsumerLagGrowing",
		"LcngwDown", "LcngwAbsent", "LcngwReceiverRejectingSignatures", "LcngwCircuitOpen",
		"LcngwEndpointDead", "LcngwEndpointRequestsFailing", "LcngwSourceStalled", "LcngwInstanceStalled",
		"LcngwBacklogAging", "LcngwLagUnmeasured"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("alert %s missing", want)
		}
	}
}

// runbookBase is where every alert's runbook_url points, followed by the
// anchor of the alert's section (GitHub lowercases heading anchors).
const runbookBase = "https://github.com/lcngw/lcngw/blob/main/docs/operations.md#"

// recordedNames returns the names the rules record.
func recordedNames(rules []rule) map[string]bool {
	out := map[string]bool{}
	for _, r := range rules {
		if r.Record != "" {
			out[r.Record] = true
		}
	}
	return out
}
