{{/* Object name prefix: <release>-portcullis, or fullnameOverride. */}}
{{- define "portcullis.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "portcullis.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select the pods; never change them on an upgrade. */}}
{{- define "portcullis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portcullis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "portcullis.labels" -}}
{{ include "portcullis.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "portcullis.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "portcullis.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Where the pod's files are mounted; the ConfigMap refers to these paths. */}}
{{- define "portcullis.configDir" -}}/etc/portcullis/config{{- end -}}
{{- define "portcullis.authDir" -}}/etc/portcullis/auth{{- end -}}
{{- define "portcullis.keysDir" -}}/etc/portcullis/bundle-keys{{- end -}}
{{- define "portcullis.bundlesDir" -}}/var/lib/portcullis/bundles{{- end -}}

{{/* The pods' minimum count: what the PodDisruptionBudget must stay below. */}}
{{- define "portcullis.minPods" -}}
{{- if .Values.autoscaling.enabled -}}{{ .Values.autoscaling.minReplicas }}{{- else -}}{{ .Values.replicaCount }}{{- end -}}
{{- end -}}

{{/* Refuses values that would render a deployment that cannot work or cannot be drained. */}}
{{- define "portcullis.validate" -}}
{{- if not (has .Values.bundles.source (list "volume")) -}}
{{- fail (printf "bundles.source must be \"volume\", not %q" .Values.bundles.source) -}}
{{- end -}}
{{- if and .Values.bundles.requireSignature (empty .Values.bundles.publicKeys.keys) -}}
{{- fail "bundles.requireSignature is true but bundles.publicKeys.keys is empty: every bundle would be refused" -}}
{{- end -}}
{{- if .Values.podDisruptionBudget.enabled -}}
{{- if ge (int .Values.podDisruptionBudget.minAvailable) (int (include "portcullis.minPods" .)) -}}
{{- fail (printf "podDisruptionBudget.minAvailable (%v) must be below the minimum pod count (%s): a drain could never proceed" .Values.podDisruptionBudget.minAvailable (include "portcullis.minPods" .)) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) -}}
{{- fail "autoscaling.maxReplicas must be >= autoscaling.minReplicas" -}}
{{- end -}}
{{- end -}}
