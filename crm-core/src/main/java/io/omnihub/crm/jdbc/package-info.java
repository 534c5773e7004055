/**
 * The JDBC plumbing the CRM core and its automation engine share: one transaction helper with the
 * retry of lost races, SQLSTATE classification, time-ordered ids, SQL with named parameters and
 * array parameters. Nothing here knows a table.
 */
package io.omnihub.crm.jdbc;
