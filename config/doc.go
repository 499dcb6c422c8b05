// Package config is the typed configuration of the gateway: Kafka, HTTP
// delivery, merchants and their endpoints, layout files, the admin listener,
// logging and the Go runtime.
//
// # Layers
//
// Each value comes from the highest of these layers that sets it:
//
//  1. command-line flags, applied with [Config.ApplyOverrides] (or
//     [Config.Set]) under the dotted keys [Settings] lists;
//  2. environment variables (below), read by [Load];
//  3. the YAML configuration file, read by [Load];
//  4. the defaults of [Default].
//
// The file is decoded strictly: an unknown or repeated key, a value of the
// wrong type, or a second YAML document fails [Load], and every such
// problem is listed with its line. [Config.Validate] then checks the rules
// and reports every problem at once, each with its path, e.g.
// "merchants[1].endpoints[0].url: must be https or http".
//
// testdata/full.yaml documents every option with its default.
//
// # Environment
//
// Each setting of [Settings] has a variable named LCNGW_ and its dotted key
// in upper case with dots as underscores. Lists are comma-separated. An
// empty variable counts as unset. Merchants and layout files are set in the
// file only.
//
//	LCNGW_KAFKA_BROKERS                             kafka.brokers (comma-separated host:port)
//	LCNGW_KAFKA_CLIENT_ID                           kafka.client_id
//	LCNGW_KAFKA_GROUP_ID                            kafka.group_id
//	LCNGW_KAFKA_START_OFFSET                        kafka.start_offset
//	LCNGW_KAFKA_TOPICS_LCN                          kafka.topics.lcn
//	LCNGW_KAFKA_TOPICS_IPN                          kafka.topics.ipn
//	LCNGW_KAFKA_TOPICS_RETRY                        kafka.topics.retry
//	LCNGW_KAFKA_TOPICS_DEAD_LETTER                  kafka.topics.dead_letter
//	LCNGW_KAFKA_MIN_BYTES                           kafka.min_bytes
//	LCNGW_KAFKA_MAX_BYTES                           kafka.max_bytes
//	LCNGW_KAFKA_MAX_WAIT                            kafka.max_wait
//	LCNGW_KAFKA_HEARTBEAT_INTERVAL                  kafka.heartbeat_interval
//	LCNGW_KAFKA_SESSION_TIMEOUT                     kafka.session_timeout
//	LCNGW_KAFKA_REBALANCE_TIMEOUT                   kafka.rebalance_timeout
//	LCNGW_KAFKA_BATCH_TIMEOUT                       kafka.batch_timeout
//	LCNGW_KAFKA_TLS_ENABLED                         kafka.tls.enabled
//	LCNGW_KAFKA_TLS_CA_FILE                         kafka.tls.ca_file
//	LCNGW_KAFKA_TLS_CERT_FILE                       kafka.tls.cert_file
//	LCNGW_KAFKA_TLS_KEY_FILE                        kafka.tls.key_file
//	LCNGW_KAFKA_TLS_SERVER_NAME                     kafka.tls.server_name
//	LCNGW_KAFKA_SASL_MECHANISM                      kafka.sasl.mechanism
//	LCNGW_KAFKA_SASL_USERNAME                       kafka.sasl.username
//	LCNGW_KAFKA_SASL_PASSWORD_ENV                   kafka.sasl.password_env
//	LCNGW_KAFKA_SASL_PASSWORD_FILE                  kafka.sasl.password_file
//	LCNGW_DELIVERY_CONNECT_TIMEOUT                  delivery.connect_timeout
//	LCNGW_DELIVERY_TIMEOUT                          delivery.timeout
//	LCNGW_DELIVERY_QUICK_RETRY_ATTEMPTS             delivery.quick_retry.attempts
//	LCNGW_DELIVERY_QUICK_RETRY_INITIAL_INTERVAL     delivery.quick_retry.initial_interval
//	LCNGW_DELIVERY_QUICK_RETRY_MAX_INTERVAL         delivery.quick_retry.max_interval
//	LCNGW_DELIVERY_QUICK_RETRY_MULTIPLIER           delivery.quick_retry.multiplier
//	LCNGW_DELIVERY_QUICK_RETRY_JITTER               delivery.quick_retry.jitter
//	LCNGW_DELIVERY_RETRY_SCHEDULE                   delivery.retry.schedule (2checkout, or comma-separated durations)
//	LCNGW_DELIVERY_RETRY_EVERY                      delivery.retry.every
//	LCNGW_DELIVERY_RETRY_MAX_AGE                    delivery.retry.max_age
//	LCNGW_DELIVERY_MAX_IN_FLIGHT                    delivery.max_in_flight
//	LCNGW_DELIVERY_MAX_CONCURRENCY                  delivery.max_concurrency
//	LCNGW_DELIVERY_MAX_SLOT_WAIT                    delivery.max_slot_wait
//	LCNGW_DELIVERY_MAX_WAITING                      delivery.max_waiting
//	LCNGW_DELIVERY_CIRCUIT_BREAKER_FAILURE_THRESHOLD delivery.circuit_breaker.failure_threshold
//	LCNGW_DELIVERY_CIRCUIT_BREAKER_OPEN_DURATION    delivery.circuit_breaker.open_duration
//	LCNGW_DELIVERY_CIRCUIT_BREAKER_HALF_OPEN_PROBES delivery.circuit_breaker.half_open_probes
//	LCNGW_DELIVERY_USER_AGENT                       delivery.user_agent
//	LCNGW_DELIVERY_ALLOW_INTERNAL                   delivery.allow_internal (comma-separated)
//	LCNGW_ADMIN_LISTEN                              admin.listen
//	LCNGW_ADMIN_TOKEN_ENV                           admin.token_env
//	LCNGW_ADMIN_TOKEN_FILE                          admin.token_file
//	LCNGW_MERCHANTS_SOURCE                          merchants.source (file or kafka)
//	LCNGW_MERCHANTS_TOPIC                           merchants.topic
//	LCNGW_MERCHANTS_KEK_ENV                         merchants.kek_env
//	LCNGW_MERCHANTS_KEK_FILE                        merchants.kek_file
//	LCNGW_LOG_LEVEL                                 log.level
//	LCNGW_LOG_FORMAT                                log.format
//	LCNGW_RUNTIME_SHUTDOWN_TIMEOUT                  runtime.shutdown_timeout
//	LCNGW_RUNTIME_GC_PERCENT                        runtime.gc_percent
//	LCNGW_METRICS_DETAIL_MERCHANTS                  metrics.detail_merchants (comma-separated)
//	LCNGW_METRICS_MAX_DETAILED_ENDPOINTS            metrics.max_detailed_endpoints
//	LCNGW_METRICS_OFFSETS_INTERVAL                  metrics.offsets_interval
//	LCNGW_METRICS_SUMMARY_INTERVAL                  metrics.summary_interval
//
// Merchant secrets are read from the variables their secret_env names, not
// from a fixed name.
//
// # Secrets
//
// A merchant's secret key comes from secret_env (an environment variable),
// secret_file (a regular file, trimmed of one trailing newline) or secret
// (inline in the file; allowed but discouraged). [Load] reads them, so that
// the key is fixed at start-up; a key that cannot be read is reported by
// [Config.Validate] with every other problem. Keys are held in [Secret],
// which prints, marshals and logs as "[REDACTED]"; validation messages name
// settings and rules and never echo a secret.
//
// # Merchant sources
//
// merchants is either the list of merchants (source file, for small
// deployments) or a mapping with source, topic, kek_env, kek_file and the
// list under "list". With source kafka the list stays empty and merchants
// live in the merchant registry, a compacted Kafka topic managed through
// the admin API and `lcngw merchant`; kek_env or kek_file holds the keys
// that seal their secrets there. admin.token_env or admin.token_file holds
// the bearer token of the write API; without one the write API is off.
//
// # Not yet supported
//
// Kafka TLS and SASL: their keys are rejected as unknown. Producer
// acknowledgements are fixed to all in-sync replicas; see [Kafka].
package config
