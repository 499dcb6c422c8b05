// Package deploy holds what operators deploy next to the gateway: the
// Grafana dashboard (grafana/lcngw.json), the Prometheus recording and
// alerting rules (prometheus/lcngw-rules.yml, unit-tested by
// prometheus/lcngw-rules.test.yml), and Kubernetes manifests (k8s/: a
// Deployment with probes and resources, its ConfigMap and Secret, a
// PodDisruptionBudget and the metrics Service), which its tests decode
// strictly into the Kubernetes API types and check against each other and
// the gateway's configuration. Its tests check that every metric,
// label and recording rule they use exists. It has no Go API.
package deploy
