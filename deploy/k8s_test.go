package deploy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/internal/devca"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
)

// manifests are the Kubernetes objects of deploy/k8s, decoded strictly.
type manifests struct {
	deployment appsv1.Deployment
	configMap  corev1.ConfigMap
	secret     corev1.Secret
	service    corev1.Service
	pdb        policyv1.PodDisruptionBudget
}

// strictDecode converts one YAML document to JSON and decodes it into v,
// rejecting any field the Kubernetes API type does not have.
func strictDecode(doc []byte, v any) error {
	js, err := sigsyaml.YAMLToJSON(doc)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func loadManifests(t *testing.T) manifests {
	t.Helper()
	var m manifests
	targets := map[string]any{
		"apps/v1 Deployment": &m.deployment, "v1 ConfigMap": &m.configMap, "v1 Secret": &m.secret,
		"v1 Service": &m.service, "policy/v1 PodDisruptionBudget": &m.pdb,
	}
	files, err := filepath.Glob(filepath.Join("k8s", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		if filepath.Base(f) == "kustomization.yaml" {
			continue
		}
		for i, doc := range documents(t, f) {
			var tm struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := sigsyaml.Unmarshal(doc, &tm); err != nil {
				t.Fatalf("%s document %d: %v", f, i, err)
			}
			key := tm.APIVersion + " " + tm.Kind
			target, ok := targets[key]
			if !ok {
				t.Fatalf("%s document %d: unexpected %s", f, i, key)
			}
			if err := strictDecode(doc, target); err != nil {
				t.Errorf("%s document %d (%s): %v", f, i, key, err)
			}
			seen[key] = true
		}
	}
	for key := range targets {
		if !seen[key] {
			t.Errorf("no %s among the manifests", key)
		}
	}
	return m
}

// documents splits a YAML file into its documents.
func documents(t *testing.T, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	var out [][]byte
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		b, err := yaml.Marshal(&n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
}

func TestStrictDecodeRejectsUnknownFields(t *testing.T) {
	var d appsv1.Deployment
	err := strictDecode([]byte("apiVersion: apps/v1\nkind: Deployment\nspec:\n  replica: 2\n"), &d)
	if err == nil || !strings.Contains(err.Error(), "replica") {
		t.Fatalf("a misspelt field was accepted: %v", err)
	}
}

// TestKubernetesManifests checks the manifests against the Kubernetes API
// types and against each other and the gateway.
func TestKubernetesManifests(t *testing.T) {
	m := loadManifests(t)
	spec := m.deployment.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		t.Fatalf("%d containers", len(spec.Containers))
	}
	c := spec.Containers[0]
	podLabels := m.deployment.Spec.Template.Labels
	for what, sel := range map[string]map[string]string{
		"deployment": m.deployment.Spec.Selector.MatchLabels, "pdb": m.pdb.Spec.Selector.MatchLabels, "service": m.service.Spec.Selector,
	} {
		for k, v := range sel {
			if podLabels[k] != v {
				t.Errorf("%s selects %s=%s, which the pods do not carry", what, k, v)
			}
		}
		if len(sel) == 0 {
			t.Errorf("%s selects nothing", what)
		}
	}
	checkProbe(t, "liveness", c.LivenessProbe, "/livez")
	checkProbe(t, "readiness", c.ReadinessProbe, "/readyz")
	if !slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == "admin" && p.ContainerPort == 9090 }) {
		t.Error("no admin port 9090")
	}
	if len(m.service.Spec.Ports) != 1 || m.service.Spec.Ports[0].TargetPort != intstr.FromString("admin") {
		t.Errorf("service ports %+v, want one to the admin port", m.service.Spec.Ports)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources %+v: want cpu and memory requests and a memory limit", c.Resources)
	}
	if m.pdb.Spec.MinAvailable == nil || *m.deployment.Spec.Replicas <= int32(m.pdb.Spec.MinAvailable.IntValue()) {
		t.Error("the disruption budget must leave room to evict a replica")
	}
	checkSecretRefs(t, m, c)
	checkConfig(t, m, c)
}

func checkProbe(t *testing.T, what string, p *corev1.Probe, path string) {
	t.Helper()
	if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != path || p.HTTPGet.Port != intstr.FromString("admin") {
		t.Errorf("%s probe %+v, want GET %s on the admin port", what, p, path)
	}
}

// checkSecretRefs: every key the pod reads from the Secret exists.
func checkSecretRefs(t *testing.T, m manifests, c corev1.Container) {
	t.Helper()
	has := func(key string) bool { _, ok := m.secret.StringData[key]; return ok }
	for _, e := range c.Env {
		if r := e.ValueFrom; r != nil && r.SecretKeyRef != nil && (r.SecretKeyRef.Name != m.secret.Name || !has(r.SecretKeyRef.Key)) {
			t.Errorf("env %s reads %s/%s, which the Secret does not have", e.Name, r.SecretKeyRef.Name, r.SecretKeyRef.Key)
		}
	}
	for _, v := range m.deployment.Spec.Template.Spec.Volumes {
		if v.Secret == nil {
			continue
		}
		for _, it := range v.Secret.Items {
			if !has(it.Key) {
				t.Errorf("volume %s mounts key %s, which the Secret does not have", v.Name, it.Key)
			}
		}
	}
}

// checkConfig lays the ConfigMap's configuration and a CA out as the pod
// mounts them and opens it with the pod's environment: it must be valid,
// with no unknown LCNGW_ variable, and the admin listener on every
// interface.
func checkConfig(t *testing.T, m manifests, c corev1.Container) {
	t.Helper()
	root := t.TempDir()
	mounts := map[string]string{}
	for _, vm := range c.VolumeMounts {
		mounts[vm.Name] = filepath.Join(root, vm.MountPath)
	}
	cfgDir, tlsDir := mounts["config"], mounts["kafka-tls"]
	if cfgDir == "" || tlsDir == "" {
		t.Fatalf("mounts %v: want config and kafka-tls", mounts)
	}
	for _, d := range []string{cfgDir, tlsDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(cfgDir, "lcngw.yaml")
	if err := os.WriteFile(path, []byte(m.configMap.Data["lcngw.yaml"]), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := devca.Write(tlsDir); err != nil {
		t.Fatal(err)
	}
	var environ []string
	for _, e := range c.Env {
		environ = append(environ, fmt.Sprintf("%s=value-of-%s", e.Name, e.Name))
	}
	if !slices.Contains(c.Args, "/etc/lcngw/config/lcngw.yaml") {
		t.Errorf("args %v do not name the mounted configuration", c.Args)
	}
	cfg, err := config.Open(config.Sources{Path: path, Environ: environ,
		Catalogues: config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}})
	if err != nil {
		t.Fatalf("the ConfigMap's configuration: %v", err)
	}
	if cfg.Admin.Listen != ":9090" {
		t.Errorf("admin.listen %q, want :9090", cfg.Admin.Listen)
	}
	if cfg.Kafka.TLS.Config() == nil || !cfg.Kafka.SASL.On() {
		t.Error("the sample does not show TLS and SASL")
	}
}
