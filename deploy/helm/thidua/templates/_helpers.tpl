{{/* The services in the order every template lists them. */}}
{{- define "thidua.serviceNames" -}}
submissions scoring notifications reporting portal
{{- end }}

{{- define "thidua.fullname" -}}
{{- if contains "thidua" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-thidua" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{- define "thidua.labels" -}}
app.kubernetes.io/name: thidua
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/* Selector labels of one service: (dict "root" $ "name" "scoring") */}}
{{- define "thidua.selectorLabels" -}}
app.kubernetes.io/name: thidua
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "thidua.componentLabels" -}}
{{ include "thidua.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "thidua.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "thidua.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "thidua.fullname" .) -}}
{{- end }}

{{- define "thidua.kafkaCluster" -}}
{{ include "thidua.fullname" . }}-kafka
{{- end }}

{{- define "thidua.postgresCluster" -}}
{{ include "thidua.fullname" . }}-pg
{{- end }}

{{- define "thidua.kafkaBootstrap" -}}
{{- if .Values.kafka.enabled -}}
{{ include "thidua.kafkaCluster" . }}-kafka-bootstrap:9092
{{- else -}}
{{ required "kafka.external.bootstrapServers is needed when kafka.enabled is false" .Values.kafka.external.bootstrapServers }}
{{- end -}}
{{- end }}

{{/*
The declared topics (files/topics.yaml) with this installation's partition counts
(kafka.topicPartitions: a topic's own entry, else "*", else the declaration's), as YAML:
{topics: [{name, partitions, retention_ms, cleanup_policy, producer}], consumers: {service: [topic]}}.
*/}}
{{- define "thidua.topics" -}}
{{- $declared := .Files.Get "files/topics.yaml" | fromYaml -}}
{{- $overrides := .Values.kafka.topicPartitions | default dict -}}
{{- $names := list -}}
{{- range $declared.topics }}{{ $names = append $names .name }}{{ end -}}
{{- range $name, $_ := $overrides -}}
{{- if and (ne $name "*") (not (has $name $names)) -}}
{{- fail (printf "kafka.topicPartitions: %q is not a declared topic (one of %s, or *)" $name (join ", " $names)) -}}
{{- end -}}
{{- end -}}
{{- $topics := list -}}
{{- range $declared.topics -}}
{{- $partitions := index $overrides .name | default (index $overrides "*") | default .partitions | int -}}
{{- $topics = append $topics (merge (dict "partitions" $partitions) .) -}}
{{- end -}}
{{- toYaml (dict "topics" $topics "consumers" $declared.consumers) -}}
{{- end }}

{{/* THIDUA_TOPIC_PARTITIONS: every topic's count, so the services agree with the KafkaTopics. */}}
{{- define "thidua.topicPartitionsVariable" -}}
{{- $entries := list -}}
{{- range (include "thidua.topics" . | fromYaml).topics -}}
{{- $entries = append $entries (printf "%s=%d" .name (int .partitions)) -}}
{{- end -}}
{{- join "," $entries -}}
{{- end }}

{{/*
A resource that the migration Jobs need on the first install (the databases, Kafka, the
settings): Helm runs pre-install hooks before it creates the release's resources, so on
install these are hooks too, created before the Jobs (lower weight); on upgrade they are
ordinary resources, which Helm adopts into the release by the ownership metadata below.
A stateful one (a database, Kafka) is never deleted by Helm to be made again (the default
before-hook-creation would, on an install over kept resources): such an install fails on
"already exists" instead, and is run with migrations.createDependenciesFirst=false, which
adopts them as ordinary resources.
(dict "root" $ "weight" "-20" "stateful" true)
*/}}
{{- define "thidua.neededByMigrations" -}}
meta.helm.sh/release-name: {{ .root.Release.Name }}
meta.helm.sh/release-namespace: {{ .root.Release.Namespace }}
{{- if and .root.Release.IsInstall .root.Values.migrations.createDependenciesFirst }}
helm.sh/hook: pre-install
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: {{ ternary "hook-failed" "before-hook-creation" (default false .stateful) }}
{{- end }}
{{- end }}

{{/*
A secret value: the one given in values, else the one the Secret already holds (kept
across upgrades), else a new random one. (dict "root" $ "secret" name "key" KEY "value" given)
*/}}
{{- define "thidua.secretValue" -}}
{{- if .value -}}
{{ .value }}
{{- else -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .secret | default dict -}}
{{- $kept := dig "data" .key "" $existing -}}
{{- if $kept }}{{ $kept | b64dec }}{{ else }}{{ randAlphaNum 48 }}{{ end -}}
{{- end -}}
{{- end }}

{{/* The env prefix of a service's settings: SUBMISSIONS, SCORING, ... */}}
{{- define "thidua.prefix" -}}
{{ . | upper }}
{{- end }}

{{/*
A service's environment beside its ConfigMap: secrets, and its database URL.
(dict "root" $ "name" "scoring" "service" $values)
*/}}
{{- define "thidua.secretEnv" -}}
{{- $root := .root -}}
{{- $prefix := include "thidua.prefix" .name -}}
{{- $secret := include "thidua.secretName" $root -}}
{{- if eq $root.Values.auth.algorithm "HS256" }}
- name: THIDUA_AUTH_SECRET
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: THIDUA_AUTH_SECRET}}
{{- end }}
- name: THIDUA_OPS_TOKEN
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: THIDUA_OPS_TOKEN}}
{{- if eq .name "portal" }}
- name: PORTAL_SESSION_SECRET
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: PORTAL_SESSION_SECRET}}
{{- end }}
{{- if eq .name "notifications" }}
- name: NOTIFICATIONS_SMTP_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: NOTIFICATIONS_SMTP_PASSWORD, optional: true}}
{{- end }}
{{- if .service.database }}
{{- if $root.Values.postgresql.enabled }}
{{- /* Kubernetes expands $(VAR) from the entries before it: the password never sits in a value. */}}
- name: THIDUA_DATABASE_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ include "thidua.postgresCluster" $root }}-{{ .name }}, key: password}}
- name: {{ $prefix }}_DATABASE_URL
  value: postgresql+asyncpg://thidua_{{ .name }}:$(THIDUA_DATABASE_PASSWORD)@{{ include "thidua.postgresCluster" $root }}-rw:5432/thidua_{{ .name }}
{{- else }}
- name: {{ $prefix }}_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: {{ $prefix }}_DATABASE_URL}}
{{- end }}
{{- end }}
{{- end }}

{{/*
A service's Deployments: its own ("scoring"), and its API replicas' ("scoring-api",
<SERVICE>_ROLE=api) when it has any. (dict "name" "scoring" "service" $values)
*/}}
{{- define "thidua.components" -}}
{{ .name }}{{ if gt (int (.service.apiReplicas | default 0)) 0 }} {{ .name }}-api{{ end }}
{{- end }}

{{/*
The Service whoever calls a service's API goes to (the ingress, the portal): its API
replicas' when it has any, else its own. (dict "root" $ "name" "reporting")
*/}}
{{- define "thidua.apiService" -}}
{{- $components := include "thidua.components" (dict "name" .name "service" (index .root.Values.services .name)) -}}
{{ include "thidua.fullname" .root }}-{{ last (splitList " " $components) }}
{{- end }}

{{/*
The ports of a managed Kafka or PostgreSQL, for the egress NetworkPolicies, as a JSON list:
networkPolicy.egress.managed<Kafka|Postgresql>.ports when given, else those the addresses in
values name (host:port, or a URL's host:port), else the protocol's default. (dict "given"
ports "addresses" [address] "default" 9092)
*/}}
{{- define "thidua.managedPorts" -}}
{{- $ports := list -}}
{{- range .given }}{{ $ports = append $ports (int .) }}{{ end -}}
{{- if not $ports -}}
{{- range $address := .addresses -}}
{{- $port := regexFind ":[0-9]+$" (trim $address) | trimPrefix ":" -}}
{{- $ports = append $ports (int ($port | default $.default)) -}}
{{- end -}}
{{- end -}}
{{- if not $ports }}{{ $ports = list (int .default) }}{{ end -}}
{{- $ports | uniq | toJson -}}
{{- end }}

{{/*
What a workload's pods may connect to when networkPolicy.egress.restricted is true, as the
egress rules of its NetworkPolicy. (dict "root" $ "name" "notifications" "component"
"notifications-api" "service" $values)
*/}}
{{- define "thidua.egressRules" -}}
{{- $root := .root -}}
{{- $egress := $root.Values.networkPolicy.egress -}}
# DNS: every name the pods connect to is resolved first.
- ports:
    - {port: 53, protocol: UDP}
    - {port: 53, protocol: TCP}
  {{- with $egress.dnsTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- if eq .name "portal" }}
{{- range $other := list "submissions" "scoring" "notifications" "reporting" }}
{{- $service := index $root.Values.services $other }}
{{- if $service.enabled }}
{{- $called := last (splitList " " (include "thidua.components" (dict "name" $other "service" $service))) }}
# {{ $other }}'s API (PORTAL_{{ upper $other }}_URL).
- to:
    - podSelector:
        matchLabels:
          {{- include "thidua.selectorLabels" (dict "root" $root "name" $called) | nindent 10 }}
  ports:
    - {port: {{ $service.port }}, protocol: TCP}
{{- end }}
{{- end }}
{{- else }}
# Kafka.
{{- if $root.Values.kafka.enabled }}
- to:
    - podSelector:
        matchLabels:
          strimzi.io/cluster: {{ include "thidua.kafkaCluster" $root }}
          strimzi.io/kind: Kafka
          strimzi.io/broker-role: "true"
  ports:
    - {port: 9092, protocol: TCP}
{{- else }}
{{- $servers := splitList "," $root.Values.kafka.external.bootstrapServers }}
- ports:
    {{- range include "thidua.managedPorts" (dict "given" $egress.managedKafka.ports "addresses" $servers "default" 9092) | fromJsonArray }}
    - {port: {{ . }}, protocol: TCP}
    {{- end }}
  {{- with $egress.managedKafka.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- if .service.database }}
# PostgreSQL.
{{- if $root.Values.postgresql.enabled }}
- to:
    - podSelector:
        matchLabels:
          cnpg.io/cluster: {{ include "thidua.postgresCluster" $root }}
  ports:
    - {port: 5432, protocol: TCP}
{{- else }}
{{- $hosts := list }}
{{- $urls := $root.Values.postgresql.external.databaseUrls | default dict }}
{{- range $name := keys $urls | sortAlpha }}
{{- $hosts = append $hosts (urlParse (index $urls $name)).host }}
{{- end }}
- ports:
    {{- range include "thidua.managedPorts" (dict "given" $egress.managedPostgresql.ports "addresses" $hosts "default" 5432) | fromJsonArray }}
    - {port: {{ . }}, protocol: TCP}
    {{- end }}
  {{- with $egress.managedPostgresql.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
{{- if and (eq .component "notifications") $egress.notificationsTo }}
{{- /* Never `to: []`, which would mean every address. */}}
# The webhooks' receivers and the SMTP server (its consuming replicas send; API replicas do not).
- to:
    {{- toYaml $egress.notificationsTo | nindent 4 }}
{{- end }}
{{- end }}
{{- end }}
