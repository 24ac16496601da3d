/** @weir/cache: the RFC 9111 shared cache (issue 10). */
export {};
