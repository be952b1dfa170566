{{- define "virtflux.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "virtflux.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "virtflux.labels" -}}
app.kubernetes.io/name: {{ include "virtflux.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "virtflux.selectorLabels" -}}
app.kubernetes.io/name: {{ include "virtflux.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "virtflux.tokenSecret" -}}
{{- default (printf "%s-tokens" (include "virtflux.fullname" .)) .Values.existingTokenSecret -}}
{{- end -}}

{{/*
"true" when the journal is on PostgreSQL (journal.postgres.jdbcUrl), else empty. Then the service
runs as several replicas that share the journal: hosts are owned by leases in the database, so
pods may overlap (rolling updates) and there may be any number of them.
*/}}
{{- define "virtflux.onPostgres" -}}
{{- if (.Values.journal.postgres | default dict).jdbcUrl -}}true{{- end -}}
{{- end -}}
