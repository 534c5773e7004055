package io.omnihub.connectors.erp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Kingdee forms (单据/基础资料) the connector polls, with the fields it reads from each.
 *
 * <p>ExecuteBillQuery answers rows as arrays in FieldKeys order, so the order of
 * {@link #fieldKeys} is the contract between the query and the row mapping. Only header fields are
 * read: an entry field would repeat each header once per line and split one document over pages.
 */
public enum KingdeeForm {

    /** Customers (客户): one row per customer and use-organisation. */
    CUSTOMER("BD_Customer", "FCUSTID", "FNumber", List.of(
            "FCUSTID", "FNumber", "FName", "FShortName", "FTEL", "FADDRESS", "FCreateDate", "FModifyDate",
            "FDocumentStatus", "FForbidStatus", "FUseOrgId.FNumber")),

    /** Sales orders (销售订单): header fields only. */
    SALES_ORDER("SAL_SaleOrder", "FID", "FBillNo", List.of(
            "FID", "FBillNo", "FDate", "FCustId.FNumber", "FCustId.FName", "FBillAllAmount", "FSettleCurrId.FNumber",
            "FCreateDate", "FModifyDate", "FDocumentStatus", "FCloseStatus", "FCancelStatus", "FSaleOrgId.FNumber"));

    /** The watermark field; both forms keep it on the header. */
    public static final String MODIFY_DATE = "FModifyDate";
    /** The watermark of rows never modified, whose {@link #MODIFY_DATE} is empty; on the header too. */
    public static final String CREATE_DATE = "FCreateDate";

    private final String formId;
    private final String idField;
    private final String numberField;
    private final List<String> baseFieldKeys;

    KingdeeForm(String formId, String idField, String numberField, List<String> baseFieldKeys) {
        this.formId = formId;
        this.idField = idField;
        this.numberField = numberField;
        this.baseFieldKeys = baseFieldKeys;
    }

    /** The Kingdee FormId, e.g. {@code BD_Customer}. */
    public String formId() {
        return formId;
    }

    /** The internal id field (FCUSTID, FID): the tiebreaker that makes paging order stable. */
    public String idField() {
        return idField;
    }

    /** The business number field (FNumber, FBillNo). */
    public String numberField() {
        return numberField;
    }

    /**
     * The FieldKeys to query, in answer order. Sales orders add the configured channel-order-number
     * field at the end.
     */
    public List<String> fieldKeys(Optional<String> orderNumberField) {
        if (this != SALES_ORDER || orderNumberField.isEmpty()) {
            return baseFieldKeys;
        }
        List<String> keys = new ArrayList<>(baseFieldKeys);
        keys.add(orderNumberField.get());
        return List.copyOf(keys);
    }

    /** The form with this FormId, compared ignoring case. */
    public static Optional<KingdeeForm> of(String formId) {
        for (KingdeeForm form : values()) {
            if (form.formId.equalsIgnoreCase(formId)) {
                return Optional.of(form);
            }
        }
        return Optional.empty();
    }
}
