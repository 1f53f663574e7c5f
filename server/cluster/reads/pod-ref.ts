import "server-only";
import { ValidationError } from "@/server/errors";

// Names and options from the browser, checked before they reach a Kubernetes URL. The rules are Kubernetes'
// own (k8s.io/apimachinery/pkg/util/validation): namespaces and container names are DNS-1123 labels, pod and
// node names DNS-1123 subdomains. Booleans and numbers are parsed strictly: "yes" or "10abc" is an error.

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label (namespace, container): at most 63 lowercase letters, digits and '-'. */
export function dnsLabel(field: string, value: string): string {
  if (value.length > 63 || !LABEL.test(value))
    throw new ValidationError(
      `${field}: "${value.slice(0, 80)}" is not a valid name (a DNS-1123 label: lowercase letters, digits and '-', at most 63)`,
    );
  return value;
}

/** A DNS-1123 subdomain (pod, node): at most 253 characters of labels joined by '.'. */
export function dnsSubdomain(field: string, value: string): string {
  if (value.length > 253 || !SUBDOMAIN.test(value))
    throw new ValidationError(
      `${field}: "${value.slice(0, 80)}" is not a valid name (a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253)`,
    );
  return value;
}

/** "true" or "false" (absent or empty: the default); anything else is an error naming the field. */
export function strictBool(params: URLSearchParams, field: string, fallback = false): boolean {
  const v = params.get(field);
  if (v === null || v === "") return fallback;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new ValidationError(`${field}: "${v.slice(0, 40)}" is not true or false`);
}

/** A whole number in [min, max] (absent or empty: undefined); anything else is an error naming the field. */
export function strictInt(params: URLSearchParams, field: string, min: number, max: number): number | undefined {
  const v = params.get(field);
  if (v === null || v === "") return undefined;
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new ValidationError(`${field}: "${v.slice(0, 40)}" is not a whole number from ${min} to ${max}`);
  return Number(v);
}

/** A pod's namespace and name as a route gives them (URL-decoded), validated. */
export function podRef(namespace: string, pod: string): { namespace: string; pod: string } {
  return {
    namespace: dnsLabel("namespace", decoded("namespace", namespace)),
    pod: dnsSubdomain("pod", decoded("pod", pod)),
  };
}

/** A URL-decoded route segment; a malformed %-escape is an error naming the field. */
export function decoded(field: string, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ValidationError(`${field}: not a valid URL segment`);
  }
}
