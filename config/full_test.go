package config_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/signer"
)

func loadFull(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.Load(filepath.Join("testdata", "full.yaml"), envMap(fullEnv))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(cats); err != nil {
		t.Fatalf("testdata/full.yaml does not validate: %v", err)
	}
	return c
}

func TestFullSampleLoadsAndValidates(t *testing.T) {
	c := loadFull(t)
	if got := c.Kafka.Brokers; !slices.Equal(got, []string{"kafka-1.internal:9092", "kafka-2.internal:9092"}) {
		t.Errorf("brokers %v", got)
	}
	acme, ok := c.Merchant("ACME01")
	if !ok {
		t.Fatal("ACME01 not found")
	}
	if got := string(acme.Key().Reveal()); got != fullEnv["LCNGW_SECRET_ACME01"] {
		t.Errorf("ACME01 key from secret_env: got %d bytes, want the variable's value", len(got))
	}
	beta, ok := c.Merchant("BETA02")
	if !ok {
		t.Fatal("BETA02 not found")
	}
	if got := string(beta.Key().Reveal()); got != "beta-file-secret-9f3c" {
		t.Errorf("BETA02 key from secret_file: got %q", got)
	}
	if _, ok := c.Merchant("acme01"); ok {
		t.Error("vendor lookup is case-insensitive")
	}
	if name := beta.Location().String(); name != "Europe/Bucharest" {
		t.Errorf("BETA02 location %q", name)
	}
	if _, off := time.Date(2026, 1, 1, 0, 0, 0, 0, acme.Location()).Zone(); off != 2*3600 {
		t.Errorf("ACME01 offset %d", off)
	}
	if l, ok := c.Layout(signer.KindLCN, acme.LCN.Layout, cats.LCN); !ok || l.Params[0] != "LICENSE_CODE" || len(l.Params) != 5 {
		t.Errorf("lcn layout %+v, %v", l, ok)
	}
	if l, ok := c.Layout(signer.KindIPN, "compact", cats.IPN); !ok || l.Kind != "ipn" || len(l.Params) != 5 {
		t.Errorf("ipn layout %+v, %v", l, ok)
	}
	if got := len(c.LoadedLayouts()); got != 2 {
		t.Errorf("%d layouts loaded", got)
	}
}

func TestFullSampleMerchantSettings(t *testing.T) {
	c := loadFull(t)
	acme, _ := c.Merchant("ACME01")
	beta, _ := c.Merchant("BETA02")
	r := c.Delivery.RetryFor(acme)
	if r.Every != 2*time.Hour || r.MaxAge != 24*time.Hour || !slices.Equal(r.Schedule.Offsets, []time.Duration{time.Minute, 5 * time.Minute, 20 * time.Minute}) {
		t.Errorf("ACME01 retry %+v", r)
	}
	if got := c.Delivery.RetryFor(beta).Attempts(); got != 53 {
		t.Errorf("BETA02 (delivery default) attempts %d, want 53", got)
	}
	e := c.Delivery.Effective(beta.Endpoints[0])
	if e.Timeout != 30*time.Second || e.ConnectTimeout != 10*time.Second || e.MaxConcurrency != 8 || e.MaxWaiting != 16 {
		t.Errorf("BETA02 effective endpoint %+v", e)
	}
	if e.Algorithms.Set() != signer.SetOf(signer.MD5, signer.SHA256) || e.ReceiptAlgorithms.Set() != signer.SetOf(signer.MD5) {
		t.Errorf("BETA02 algorithms %v receipt %v", e.Algorithms, e.ReceiptAlgorithms)
	}
	if len(beta.EndpointsFor(signer.KindLCN)) != 0 || len(beta.EndpointsFor(signer.KindIPN)) != 1 {
		t.Error("BETA02 endpoint kinds")
	}
	if !acme.LCN.Sends("LICENCE_PASTDUE") || acme.LCN.Sends("LICENCE_GP_CHANGE") || !beta.LCN.Sends("LICENCE_GP_CHANGE") {
		t.Error("trigger filter")
	}
}

// TestFullSampleShowsDefaults keeps testdata/full.yaml honest: every
// setting is written there, with its default value (brokers have none).
func TestFullSampleShowsDefaults(t *testing.T) {
	c := loadFull(t)
	def := config.Default()
	root := fullNode(t)
	for _, s := range config.Settings() {
		if findPath(root, strings.Split(s.Key, ".")) == nil {
			t.Errorf("%s is missing from full.yaml", s.Key)
		}
		if s.Key == "kafka.brokers" {
			continue
		}
		if got, want := s.Get(c), s.Get(def); got != want {
			t.Errorf("full.yaml sets %s to %q; the default is %q", s.Key, got, want)
		}
	}
}

// TestFullSampleShowsEveryKey checks that full.yaml writes every YAML key of
// the configuration types: merchant and endpoint keys in at least one
// merchant or endpoint. The inline secret is shown in a comment only.
func TestFullSampleShowsEveryKey(t *testing.T) {
	root := fullNode(t)
	var missing []string
	visited := 0
	check := func(path []string) {
		visited++
		if slices.Equal(path, []string{"merchants", "list", "secret"}) {
			return
		}
		if findPath(root, path) == nil {
			missing = append(missing, strings.Join(path, "."))
		}
	}
	walkKeys(reflect.TypeFor[config.Config](), nil, check)
	// merchants is a mapping of the registry keys with the list under "list".
	walkKeys(reflect.TypeFor[config.Registry](), []string{"merchants"}, check)
	walkKeys(reflect.TypeFor[config.Merchant](), []string{"merchants", "list"}, check)
	if len(missing) > 0 {
		t.Errorf("keys missing from full.yaml: %v", missing)
	}
	if visited < 61 {
		t.Errorf("only %d keys walked", visited)
	}
}

func fullNode(t *testing.T) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	data := readFile(t, filepath.Join("testdata", "full.yaml"))
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

// findPath returns the node at path; inside a sequence it searches every
// item.
func findPath(n *yaml.Node, path []string) *yaml.Node {
	if len(path) == 0 {
		return n
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == path[0] {
				return findPath(n.Content[i+1], path[1:])
			}
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			if found := findPath(item, path); found != nil {
				return found
			}
		}
	}
	return nil
}

// walkKeys calls fn with the YAML path of every leaf key of t; structs with
// their own YAML form (Schedule, AllowList, Secret) are leaves.
func walkKeys(t reflect.Type, prefix []string, fn func([]string)) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	for f := range t.Fields() {
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || tag == "" || tag == "-" {
			continue
		}
		path := append(slices.Clone(prefix), tag)
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft.PkgPath() == t.PkgPath() && !hasOwnYAML(ft) {
			walkKeys(ft, path, fn)
			continue
		}
		fn(path)
	}
}

func hasOwnYAML(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(reflect.TypeFor[yaml.Unmarshaler]())
}
