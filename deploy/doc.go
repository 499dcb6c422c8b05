// Package deploy holds what operators deploy next to the gateway: the
// Grafana dashboard (grafana/lcngw.json) and the Prometheus recording and
// alerting rules (prometheus/lcngw-rules.yml, unit-tested by
// prometheus/lcngw-rules.test.yml). Its tests check that every metric,
// label and recording rule they use exists. It has no Go API.
package deploy
