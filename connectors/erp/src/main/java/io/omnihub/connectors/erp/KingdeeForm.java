package io.omnihub.connectors.erp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Kingdee forms (单据/基础资料) the connector polls, with the fields it reads from each.
 *
 * <p>ExecuteBillQuery answers rows as arrays in FieldKeys order, so the order of
 * {@link #fieldKeys} is the contract between the query and the row mapping. The paged queries read
 * header fields only: an entry field would repeat each header once per line and split one document
 * over pages. A sales order's lines ({@code FSaleOrderEntry}) are read by a query of their own, by
 * order id ({@link #lineKeys}).
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

    /** The sales-order entry's id field, as ExecuteBillQuery names an entry's key. */
    public static final String LINE_ID = "FSaleOrderEntry_FEntryID";
    /** The line fields read from {@code FSaleOrderEntry}, the category field added at the end. */
    static final List<String> LINE_KEYS = List.of("FID", LINE_ID, "FMaterialId.FNumber", "FMaterialId.FName", "FQty",
            "FTaxPrice", "FAllAmount");

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

    /** The FieldKeys of a sales-order lines query, in answer order. */
    public static List<String> lineKeys(Optional<String> categoryField) {
        if (categoryField.isEmpty()) {
            return LINE_KEYS;
        }
        List<String> keys = new ArrayList<>(LINE_KEYS);
        keys.add(categoryField.get());
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
