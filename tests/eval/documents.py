"""The labeled evaluation set: documents written the way KMRL's circulars, invoices, work orders,
minutes and reports are written, in English, Malayalam and both.

Each entry is labeled by what a document team would file it as. Rendered into real files by
``python -m tests.eval.generate``; labels go to ``labels.csv``.
"""

from __future__ import annotations

from tests.eval.spec import LETTERHEAD_BI, LETTERHEAD_EN, LETTERHEAD_ML, Doc

DOCS: list[Doc] = []
add = DOCS.append

# --------------------------------------------------------------------------------------------
# finance / invoice
# --------------------------------------------------------------------------------------------
add(Doc("finance/invoices/SV-Electricals_TI-2026-0417.pdf", "finance", "invoice", "en", [
    "SREE VINAYAKA ELECTRICALS & CONTROLS\nDoor No. 41/2213, Banerji Road, Ernakulam North, Kochi 682018\n"
    "GSTIN: 32AAKFS4471M1Z5   PAN: AAKFS4471M",
    "TAX INVOICE",
    "Invoice No: SVE/TI/2026-27/0417        Invoice Date: 12-05-2026\n"
    "Buyer: Kochi Metro Rail Limited, Muttom Depot, Aluva, Kochi 683106 (GSTIN 32AADCK1938N1ZL)\n"
    "Buyer's Order No: KMRL/PO/E&M/2026/0193 dated 02-04-2026",
    [["Sl", "Description of goods", "HSN", "Qty", "Rate (Rs)", "Amount (Rs)"],
     ["1", "LED tube light fitting 20W, IP65", "9405", "240", "1,150.00", "2,76,000.00"],
     ["2", "Emergency light, 3 hr backup", "9405", "36", "3,420.00", "1,23,120.00"],
     ["3", "MCB 32A DP, C-curve", "8536", "60", "785.00", "47,100.00"],
     ["", "Taxable value", "", "", "", "4,46,220.00"],
     ["", "CGST @ 9%", "", "", "", "40,159.80"],
     ["", "SGST @ 9%", "", "", "", "40,159.80"],
     ["", "Total", "", "", "", "5,26,539.60"]],
    "Amount chargeable (in words): Rupees Five Lakh Twenty Six Thousand Five Hundred Thirty Nine and "
    "Paise Sixty only.",
    "Bank: State Bank of India, Kacheripady Branch. A/c No. 38821904417, IFSC SBIN0070231.\n"
    "Payment within 30 days of receipt of material. Interest @ 18% p.a. will be charged on overdue bills.",
    "Declaration: We declare that this invoice shows the actual price of the goods described and that all "
    "particulars are true and correct.\nFor Sree Vinayaka Electricals & Controls\nAuthorised Signatory",
]))
add(Doc("finance/invoices/housekeeping-bill-april-2026.xlsx", "finance", "invoice", "en", [
    "## Invoice",
    "Malabar Facility Services Pvt Ltd",
    "Invoice for housekeeping services at stations, April 2026",
    [["Invoice number", "MFS/KMRL/26/0088"], ["Invoice date", "2026-05-03"], ["Due date", "2026-06-02"],
     ["Contract", "KMRL/O&M/HK/2024/07"], ["Customer GSTIN", "32AADCK1938N1ZL"]],
    [["Station group", "Man-days", "Rate per man-day", "Amount"],
     ["Aluva to Edapally (9 stations)", 1674, 865, 1447010],
     ["Changampuzha Park to Maharaja's (6 stations)", 1116, 865, 965340],
     ["Ernakulam South to Tripunithura (10 stations)", 1860, 865, 1608900],
     ["Less: penalty for absenteeism (Annexure B)", "", "", -18400],
     ["Taxable value", "", "", 4002850], ["IGST 18%", "", "", 720513], ["Total amount payable", "", "", 4723363]],
    "Please remit to HDFC Bank, MG Road branch, account 50200031187712, IFSC HDFC0000520.",
]))
add(Doc("finance/invoices/ഇൻവോയ്സ്_കേബിൾ_വിതരണം.pdf", "finance", "invoice", "ml", [
    "കേരള കേബിൾസ് ആൻഡ് വയേഴ്സ്\nഇടപ്പള്ളി, കൊച്ചി 682024\nജിഎസ്ടി നമ്പർ 32AACCK5521P1Z8",
    "നികുതി ഇൻവോയ്സ്",
    "ഇൻവോയ്സ് നമ്പർ: കെസിഡബ്ല്യു/2026/211\nതീയതി: 18.05.2026\n"
    "സ്വീകർത്താവ്: കൊച്ചി മെട്രോ റെയിൽ ലിമിറ്റഡ്, മുട്ടം ഡിപ്പോ, ആലുവ",
    [["ക്രമ നമ്പർ", "ഇനം", "എണ്ണം", "നിരക്ക്", "തുക"],
     ["1", "ചെമ്പ് കേബിൾ 4 കോർ 16 ചതുരശ്ര മില്ലിമീറ്റർ (മീറ്റർ)", "500", "412.00", "2,06,000.00"],
     ["2", "കേബിൾ ട്രേ 300 മില്ലിമീറ്റർ", "80", "1,240.00", "99,200.00"],
     ["", "നികുതി വിധേയമായ തുക", "", "", "3,05,200.00"],
     ["", "സിജിഎസ്ടി 9%", "", "", "27,468.00"],
     ["", "എസ്ജിഎസ്ടി 9%", "", "", "27,468.00"],
     ["", "ആകെ തുക", "", "", "3,60,136.00"]],
    "അടയ്ക്കേണ്ട തുക അക്ഷരത്തിൽ: മൂന്ന് ലക്ഷത്തി അറുപതിനായിരത്തി ഒരുനൂറ്റി മുപ്പത്തിയാറ് രൂപ മാത്രം.",
    "ബിൽ ലഭിച്ച് മുപ്പത് ദിവസത്തിനകം തുക ഞങ്ങളുടെ ഫെഡറൽ ബാങ്ക് അക്കൗണ്ടിലേക്ക് അടയ്ക്കണമെന്ന് അഭ്യർത്ഥിക്കുന്നു.\n"
    "അംഗീകൃത ഒപ്പ്",
]))
add(Doc("finance/invoices/water-metro-terminal-security-invoice.eml", "finance", "invoice", "bilingual", [
    "Dear Sir/Madam,",
    "Please find below our invoice for security services provided at the Vyttila and Kakkanad water metro "
    "terminals for the month of April 2026.",
    "Invoice No: KSS/INV/0412 | Date: 05-05-2026 | Amount: Rs 6,84,250 + GST 18% = Rs 8,07,415",
    "Kindly arrange payment to our account at Canara Bank, Vyttila (IFSC CNRB0004512) before the due date "
    "of 04-06-2026.",
    "സർ/മാഡം,",
    "2026 ഏപ്രിൽ മാസം വൈറ്റില, കാക്കനാട് വാട്ടർ മെട്രോ ടെർമിനലുകളിൽ നൽകിയ സുരക്ഷാ സേവനങ്ങളുടെ ഇൻവോയ്സ് ഇതോടൊപ്പം "
    "അയയ്ക്കുന്നു. ഇൻവോയ്സ് നമ്പർ കെഎസ്എസ്/ഐഎൻവി/0412, ആകെ തുക ജിഎസ്ടി ഉൾപ്പെടെ 8,07,415 രൂപ. "
    "അവസാന തീയതിക്ക് മുൻപ് തുക ഞങ്ങളുടെ അക്കൗണ്ടിലേക്ക് അടയ്ക്കാൻ അഭ്യർത്ഥിക്കുന്നു.",
    "Regards,\nAccounts Team, Keystone Security Services",
], email={"subject": "Invoice KSS/INV/0412 - security services April 2026 / ഇൻവോയ്സ്",
          "from": "Keystone Security Accounts <billing@keystonesecurity.in>",
          "to": "accounts.payable@kmrl.co.in"}))
add(Doc("finance/invoices/consultancy_invoice_GC-118.docx", "finance", "invoice", "en", [
    "Geotech Consultants LLP\n3rd Floor, Panampilly Avenue, Kochi 682036",
    "INVOICE No. GC/118/2026",
    "Date: 21 April 2026\nTo: The General Manager (Finance), Kochi Metro Rail Limited",
    "Sub: Bill for geotechnical investigation - Phase 2 (Kakkanad extension), milestone 3",
    "Ref: Letter of Award KMRL/CIVIL/LOA/2025/044 dated 14.11.2025",
    [["Milestone", "Description", "Percentage", "Amount (INR)"],
     ["3", "Borehole logs and laboratory test results, chainage 4+200 to 8+900", "25%", "11,62,500"],
     ["", "GST @ 18%", "", "2,09,250"], ["", "Net amount due", "", "13,71,750"]],
    "Previous bills: milestone 1 (paid), milestone 2 (under process). We request release of payment for "
    "milestone 3 at the earliest. Supporting documents are enclosed.",
    "For Geotech Consultants LLP\nPartner",
]))
add(Doc("finance/invoices/ബിൽ-ഫീഡർ-ബസ്-മാർച്ച്.txt", "finance", "invoice", "ml", [
    "ഇൻവോയ്സ്",
    "മെട്രോ കണക്ട് ഫീഡർ ബസ് സർവീസസ്, ആലുവ",
    "ബിൽ നമ്പർ: എംസിഎഫ്/2026/03/17\nബിൽ തീയതി: 02.04.2026",
    "സ്വീകർത്താവ്: ധനകാര്യ വിഭാഗം, കൊച്ചി മെട്രോ റെയിൽ ലിമിറ്റഡ്",
    "2026 മാർച്ച് മാസം ആലുവ - എയർപോർട്ട്, കലമശ്ശേരി - ഇൻഫോപാർക്ക് റൂട്ടുകളിൽ ഓടിച്ച ഫീഡർ ബസുകളുടെ വാടക:",
    "ഓടിയ ആകെ കിലോമീറ്റർ: 38,420\nകിലോമീറ്ററിന് നിരക്ക്: 48 രൂപ\nതുക: 18,44,160 രൂപ\n"
    "ജിഎസ്ടി 5%: 92,208 രൂപ\nആകെ അടയ്ക്കേണ്ട തുക: 19,36,368 രൂപ",
    "കരാർ പ്രകാരം ബിൽ ലഭിച്ച് 21 ദിവസത്തിനകം പണം നൽകേണ്ടതാണ്. ലോഗ് ഷീറ്റുകളുടെ പകർപ്പ് ഒപ്പം ചേർക്കുന്നു.",
]))

# --------------------------------------------------------------------------------------------
# finance / purchase_order
# --------------------------------------------------------------------------------------------
add(Doc("finance/purchase/PO-2026-0193-lighting.pdf", "finance", "purchase_order", "en", [
    LETTERHEAD_EN,
    "PURCHASE ORDER",
    "PO No: KMRL/PO/E&M/2026/0193          Date: 02-04-2026\n"
    "To: M/s Sree Vinayaka Electricals & Controls, Banerji Road, Kochi 682018",
    "Ref: Your quotation no. SVE/Q/2026/031 dated 18-03-2026 and our enquiry KMRL/E&M/ENQ/2026/012.",
    "Dear Sirs, with reference to the above, you are requested to supply the following items at the rates "
    "and terms mentioned below:",
    [["Item", "Description", "Unit", "Qty", "Unit rate (Rs)", "Value (Rs)"],
     ["1", "LED tube light fitting 20W, IP65", "Nos", "240", "1,150.00", "2,76,000.00"],
     ["2", "Emergency light with 3 hour backup", "Nos", "36", "3,420.00", "1,23,120.00"],
     ["3", "MCB 32A double pole", "Nos", "60", "785.00", "47,100.00"]],
    "Total value: Rs 4,46,220 plus GST as applicable.",
    "Terms and conditions: 1. Delivery period: within 30 days from the date of this order. 2. Place of "
    "delivery: Muttom Depot stores. 3. Payment: 100% within 30 days of receipt and acceptance of material "
    "against invoice. 4. Warranty: 24 months from the date of supply. 5. Liquidated damages at 0.5% per week "
    "of delay, subject to a maximum of 10% of the order value.",
    "Please acknowledge receipt of this order.\nDeputy General Manager (Procurement)",
]))
add(Doc("finance/purchase/വാങ്ങൽ_ഉത്തരവ്_യൂണിഫോം.docx", "finance", "purchase_order", "ml", [
    LETTERHEAD_ML,
    "വാങ്ങൽ ഉത്തരവ്",
    "നമ്പർ: കെഎംആർഎൽ/പിഒ/എച്ച്ആർ/2026/044\nതീയതി: 10.03.2026",
    "സ്വീകർത്താവ്: മാനേജർ, കേരള സ്റ്റേറ്റ് ടെക്സ്റ്റൈൽ കോർപ്പറേഷൻ, തൃശൂർ",
    "വിഷയം: സ്റ്റേഷൻ ജീവനക്കാർക്കുള്ള യൂണിഫോം തുണി വിതരണം ചെയ്യുന്നത് സംബന്ധിച്ച്",
    "സൂചന: താങ്കളുടെ 25.02.2026 ലെ ക്വട്ടേഷൻ",
    "മുകളിൽ സൂചിപ്പിച്ച ക്വട്ടേഷൻ അംഗീകരിച്ച്, താഴെ പറയുന്ന സാധനങ്ങൾ വിതരണം ചെയ്യാൻ ഈ ഉത്തരവ് നൽകുന്നു:",
    [["ഇനം", "വിവരണം", "അളവ്", "യൂണിറ്റ് നിരക്ക്", "തുക"],
     ["1", "പോളിയെസ്റ്റർ കോട്ടൺ ഷർട്ടിങ് തുണി, ആകാശനീല", "1,800 മീറ്റർ", "214", "3,85,200"],
     ["2", "ട്രൗസർ തുണി, നേവി ബ്ലൂ", "1,200 മീറ്റർ", "298", "3,57,600"]],
    "നിബന്ധനകൾ: ഉത്തരവ് ലഭിച്ച് 45 ദിവസത്തിനകം മുട്ടം ഡിപ്പോ സ്റ്റോറിൽ ഡെലിവറി നടത്തണം. സാമ്പിൾ പരിശോധനയ്ക്ക് ശേഷം "
    "മാത്രമേ സാധനങ്ങൾ സ്വീകരിക്കുകയുള്ളൂ. ഇൻവോയ്സ് ലഭിച്ച് 30 ദിവസത്തിനകം പണം നൽകും.",
    "ഈ ഉത്തരവ് ലഭിച്ചതായി ദയവായി അറിയിക്കുക.\nഡെപ്യൂട്ടി ജനറൽ മാനേജർ (പർച്ചേസ്)",
]))
add(Doc("finance/purchase/supply-order-brake-pads.eml", "finance", "purchase_order", "en", [
    "Dear Mr. Raghunathan,",
    "Please find attached Supply Order KMRL/RS/SO/2026/017 for 96 sets of brake pads (part no. 4411-220-07) "
    "for the Metropolis trainsets, placed against your offer dated 4 March 2026.",
    "Order value: EUR 38,400 (CIF Kochi). Delivery: in two lots, 48 sets by 30 June 2026 and 48 sets by 31 "
    "August 2026, to the Muttom depot stores. Payment through letter of credit as per clause 7 of the terms "
    "and conditions.",
    "Kindly sign and return the acceptance copy within seven days and confirm the delivery schedule.",
    "Regards,\nMaterials Management, Kochi Metro Rail Ltd",
], email={"subject": "Supply Order KMRL/RS/SO/2026/017 - brake pads for trainsets",
          "from": "Materials Management <mm@kmrl.co.in>", "to": "raghunathan@railparts-europe.com"}))
add(Doc("finance/purchase/po_register_Q1.xlsx", "finance", "purchase_order", "en", [
    "## Purchase orders",
    "Purchase orders issued, April to June 2026",
    [["PO number", "PO date", "Vendor", "Item", "Qty", "PO value (INR)", "Delivery due", "Status"],
     ["KMRL/PO/E&M/2026/0193", "2026-04-02", "Sree Vinayaka Electricals", "LED fittings", 240, 446220, "2026-05-02", "Delivered"],
     ["KMRL/PO/IT/2026/0201", "2026-04-09", "Infoline Systems", "Desktop computers", 40, 2360000, "2026-05-20", "Open"],
     ["KMRL/PO/CIVIL/2026/0214", "2026-04-22", "Kerala Steel Traders", "Chequered plates", 120, 918000, "2026-05-30", "Part delivered"],
     ["KMRL/PO/RS/2026/0230", "2026-05-06", "Railparts Europe", "Brake pads", 96, 3480000, "2026-06-30", "Open"],
     ["KMRL/PO/ADM/2026/0241", "2026-05-19", "Office Mart", "Stationery", 1, 184500, "2026-05-31", "Closed"]],
]))
add(Doc("finance/purchase/PO-ഓഫീസ്-ഫർണിച്ചർ.pdf", "finance", "purchase_order", "bilingual", [
    LETTERHEAD_BI,
    "PURCHASE ORDER / പർച്ചേസ് ഓർഡർ",
    "PO No. KMRL/PO/ADM/2026/0252  Date 27-05-2026",
    "To M/s Woodcraft Interiors, Kalamassery. With reference to your quotation dated 15-05-2026, you are "
    "requested to supply and install the following furniture at the Kaloor office:",
    [["Item", "Qty", "Unit price (Rs)", "Amount (Rs)"],
     ["Workstation, 4-seater cluster", "6", "86,500", "5,19,000"],
     ["Ergonomic chair", "24", "9,800", "2,35,200"],
     ["Storage cabinet, steel", "10", "14,200", "1,42,000"]],
    "Delivery and installation within 21 days. Warranty five years for workstations.",
    "താങ്കളുടെ 15-05-2026 ലെ ക്വട്ടേഷൻ പ്രകാരം മുകളിൽ പറഞ്ഞ ഫർണിച്ചറുകൾ കലൂർ ഓഫീസിൽ വിതരണം ചെയ്ത് സ്ഥാപിക്കാൻ "
    "ഈ പർച്ചേസ് ഓർഡർ നൽകുന്നു. 21 ദിവസത്തിനകം ഡെലിവറി പൂർത്തിയാക്കണം. ആകെ തുക 8,96,200 രൂപയും ജിഎസ്ടിയും.",
    "Manager (Administration) / മാനേജർ (ഭരണം)",
]))

# --------------------------------------------------------------------------------------------
# finance / budget_report
# --------------------------------------------------------------------------------------------
add(Doc("finance/budget/BE-2026-27_vs_RE-2025-26.xlsx", "finance", "budget_report", "en", [
    "## Summary",
    "Kochi Metro Rail Limited - Budget Estimate 2026-27 and Revised Estimate 2025-26 (Rs crore)",
    [["Head of account", "BE 2025-26", "RE 2025-26", "Actuals to Feb 2026", "BE 2026-27", "Variance RE vs BE (%)"],
     ["Fare revenue", 182.0, 176.5, 158.2, 205.0, -3.0],
     ["Non-fare revenue", 64.0, 71.2, 63.9, 78.0, 11.3],
     ["Staff cost", 118.0, 121.4, 109.8, 131.0, 2.9],
     ["Energy", 74.0, 79.6, 72.1, 84.0, 7.6],
     ["Maintenance (O&M contracts)", 96.0, 92.3, 80.4, 101.0, -3.8],
     ["Capital expenditure - Phase 2", 840.0, 612.0, 498.7, 1120.0, -27.1]],
    "## Notes",
    "Capex utilisation in 2025-26 is lower than budgeted because land acquisition for the Kakkanad extension "
    "was delayed; the unspent allocation is carried forward to 2026-27.",
    "Energy cost increased because of the revised KSEB tariff from October 2025.",
]))
add(Doc("finance/budget/ബജറ്റ്_അവലോകനം_2026.pptx", "finance", "budget_report", "ml", [
    "# ബജറ്റ് അവലോകനം 2026-27",
    "ധനകാര്യ വിഭാഗം, കൊച്ചി മെട്രോ റെയിൽ ലിമിറ്റഡ്",
    "# വരുമാനം",
    "ടിക്കറ്റ് വരുമാനം 205 കോടി രൂപ പ്രതീക്ഷിക്കുന്നു",
    "ടിക്കറ്റിതര വരുമാനം (പരസ്യം, വാടക) 78 കോടി രൂപ",
    "# ചെലവ്",
    "ജീവനക്കാരുടെ ചെലവ് 131 കോടി രൂപ",
    "വൈദ്യുതി ചെലവ് 84 കോടി രൂപ, പുതുക്കിയ താരിഫ് കാരണം 7.6% വർധന",
    "അറ്റകുറ്റപ്പണി കരാറുകൾക്ക് 101 കോടി രൂപ വകയിരുത്തി",
    "# മൂലധന ചെലവ്",
    "രണ്ടാം ഘട്ടത്തിന് 1,120 കോടി രൂപ വിഹിതം",
    "കഴിഞ്ഞ സാമ്പത്തിക വർഷം ഉപയോഗിക്കാത്ത തുക ഈ വർഷത്തേക്ക് മാറ്റി",
]))
add(Doc("finance/budget/quarterly-budget-utilisation-Q4.pdf", "finance", "budget_report", "en", [
    LETTERHEAD_EN,
    "BUDGET UTILISATION REPORT - Q4 FY 2025-26",
    "Prepared by: Finance & Accounts Department. Submitted to: Director (Finance).",
    "1. Overall position. Against the revised estimate of Rs 1,153 crore for 2025-26, actual expenditure up "
    "to 31 March 2026 was Rs 1,012 crore, a utilisation of 87.8%. Revenue expenditure was within budget; "
    "capital expenditure was 18% below the allocation.",
    [["Department", "Allocation (Rs lakh)", "Spent (Rs lakh)", "Utilisation"],
     ["Rolling stock maintenance", "4,210", "4,096", "97%"], ["Civil and track", "2,880", "2,405", "84%"],
     ["Systems (signalling, telecom)", "3,150", "2,977", "95%"], ["Administration", "1,420", "1,388", "98%"]],
    "2. Savings and overruns. Savings of Rs 475 lakh in civil works arose from deferred viaduct painting. "
    "An overrun of Rs 96 lakh in energy is met by re-appropriation from the contingency head.",
    "3. Recommendation. Heads with utilisation below 85% should submit revised cash flow projections for "
    "2026-27 by 30 April 2026.",
]))
add(Doc("finance/budget/dept-budget-request-signalling.csv", "finance", "budget_report", "en", [
    [["Budget head", "Sub head", "Actuals 2024-25 (Rs lakh)", "RE 2025-26 (Rs lakh)", "Proposed BE 2026-27 (Rs lakh)", "Justification"],
     ["Revenue", "AMC - CBTC signalling", "1,240", "1,310", "1,385", "Contractual escalation 5.7%"],
     ["Revenue", "Spares - point machines", "210", "185", "240", "Replenishment of insurance spares"],
     ["Revenue", "Telecom - radio licence fee", "36", "38", "40", "WPC licence renewal"],
     ["Capital", "Axle counter upgrade", "0", "120", "460", "Obsolescence of existing evaluators"],
     ["Capital", "Test equipment", "18", "22", "75", "Protocol analysers for CBTC"],
     ["Total", "", "1,504", "1,675", "2,200", ""]],
]))
add(Doc("finance/budget/ബജറ്റ്-വിഹിതം-റിപ്പോർട്ട്.docx", "finance", "budget_report", "bilingual", [
    LETTERHEAD_BI,
    "Budget allocation and expenditure report, 2025-26 / ബജറ്റ് വിഹിതവും ചെലവും, 2025-26",
    "This note summarises the allocation and expenditure of each department for the financial year 2025-26 "
    "and the proposals for the budget estimate of 2026-27.",
    [["Department / വിഭാഗം", "Allocation (Rs crore)", "Expenditure (Rs crore)", "BE 2026-27"],
     ["Operations / ഓപ്പറേഷൻസ്", "58.2", "55.9", "61.0"], ["Engineering / എഞ്ചിനീയറിങ്", "96.4", "88.1", "104.5"],
     ["HR and Administration / ഭരണം", "21.7", "20.9", "23.2"]],
    "2025-26 സാമ്പത്തിക വർഷം ഓരോ വിഭാഗത്തിനും അനുവദിച്ച ബജറ്റ് വിഹിതവും യഥാർത്ഥ ചെലവും ഈ കുറിപ്പിൽ ചുരുക്കി "
    "നൽകുന്നു. എഞ്ചിനീയറിങ് വിഭാഗത്തിൽ വയഡക്റ്റ് പെയിന്റിങ് മാറ്റിവച്ചതിനാൽ 8.3 കോടി രൂപ ചെലവാകാതെ ബാക്കിയായി. "
    "2026-27 ലേക്കുള്ള ബജറ്റ് നിർദ്ദേശങ്ങൾ മേയ് 15 നകം ധനകാര്യ വിഭാഗത്തിന് സമർപ്പിക്കണം.",
]))
add(Doc("finance/budget/budget_note_water_metro.txt", "finance", "budget_report", "en", [
    "KOCHI WATER METRO - BUDGET NOTE FOR 2026-27",
    "Operating expenditure for the water metro is projected at Rs 42.6 crore, against Rs 35.1 crore in the "
    "revised estimate for 2025-26. The increase reflects six additional boats entering service and the full "
    "year cost of the Kakkanad and Mulavukad terminals.",
    "Major heads (Rs crore): crew and terminal staff 14.2; fuel and battery charging 6.8; boat maintenance "
    "8.9; terminal upkeep 5.1; insurance 2.4; other 5.2.",
    "Capital outlay requested: Rs 96 crore for 10 hybrid boats and 4 terminals (KfW loan component Rs 71 "
    "crore, state share Rs 25 crore).",
    "Fare revenue is estimated at Rs 19.5 crore; the operating gap of Rs 23.1 crore is to be met from the "
    "viability support provided by the Government of Kerala.",
]))

# --------------------------------------------------------------------------------------------
# safety / safety_circular
# --------------------------------------------------------------------------------------------
add(Doc("safety/circulars/Safety_Circular_09-2026_monsoon.pdf", "safety", "safety_circular", "en", [
    LETTERHEAD_EN,
    "SAFETY CIRCULAR No. 09/2026",
    "Date: 28.05.2026\nSub: Precautions during the south-west monsoon",
    "With the onset of the monsoon, the following instructions shall be followed by all departments with "
    "immediate effect:",
    "1. Station controllers shall inspect platform edges, staircases and concourse floors every two hours and "
    "arrange anti-skid mats at entry points.\n2. Track and viaduct drains shall be cleared before 10 June; the "
    "civil maintenance team shall report any water stagnation near the third rail.\n3. Work at height on "
    "viaducts is prohibited when wind speed exceeds 45 km/h or during lightning.\n4. All staff working on "
    "the track shall wear reflective rain gear and safety shoes.\n5. Any incident or near miss must be "
    "reported to the Operations Control Centre without delay.",
    "Heads of departments shall ensure that these instructions are brought to the notice of all staff, "
    "including contract workers.",
    "Chief Safety Officer",
]))
add(Doc("safety/circulars/സുരക്ഷാ_സർക്കുലർ_അഗ്നി.docx", "safety", "safety_circular", "ml", [
    LETTERHEAD_ML,
    "സുരക്ഷാ സർക്കുലർ നമ്പർ 11/2026",
    "തീയതി: 12.06.2026\nവിഷയം: സ്റ്റേഷനുകളിലെ അഗ്നി സുരക്ഷാ സംവിധാനങ്ങളുടെ പരിശോധന",
    "വേനൽക്കാലത്ത് തീപിടിത്ത സാധ്യത കൂടുതലായതിനാൽ എല്ലാ സ്റ്റേഷനുകളിലും താഴെ പറയുന്ന നിർദ്ദേശങ്ങൾ കർശനമായി "
    "പാലിക്കണം:",
    "1. ഓരോ ഷിഫ്റ്റിന്റെ തുടക്കത്തിലും അഗ്നിശമന ഉപകരണങ്ങളുടെ മർദ്ദം പരിശോധിച്ച് രജിസ്റ്ററിൽ രേഖപ്പെടുത്തണം.\n"
    "2. അടിയന്തര വാതിലുകളും രക്ഷാമാർഗങ്ങളും ഒരു കാരണവശാലും തടസ്സപ്പെടുത്തരുത്.\n"
    "3. സ്റ്റേഷൻ പരിസരത്ത് പുകവലി പൂർണ്ണമായും നിരോധിച്ചിരിക്കുന്നു.\n"
    "4. എല്ലാ മാസവും ഒരു മോക്ക് ഡ്രിൽ നടത്തി റിപ്പോർട്ട് സുരക്ഷാ വിഭാഗത്തിന് അയയ്ക്കണം.",
    "ഈ നിർദ്ദേശങ്ങൾ കരാർ ജീവനക്കാർ ഉൾപ്പെടെ എല്ലാവരെയും അറിയിച്ചുവെന്ന് സ്റ്റേഷൻ മാനേജർമാർ ഉറപ്പുവരുത്തണം.",
    "ചീഫ് സേഫ്റ്റി ഓഫീസർ",
]))
add(Doc("safety/circulars/circular-ppe-contract-workers.txt", "safety", "safety_circular", "bilingual", [
    "KOCHI METRO RAIL LIMITED / കൊച്ചി മെട്രോ റെയിൽ ലിമിറ്റഡ്",
    "CIRCULAR No. KMRL/SAFETY/2026/07 dated 03.03.2026",
    "Subject: Mandatory use of personal protective equipment by contract workers",
    "It has been observed during site inspections that several contract workers at the Kakkanad extension "
    "sites were working without helmets and full body harness. Contractors are hereby directed to ensure "
    "that no worker enters the site without PPE. Site engineers shall stop work immediately where this "
    "instruction is violated, and a penalty will be imposed on the contractor as per the contract.",
    "വിഷയം: കരാർ തൊഴിലാളികൾ വ്യക്തിഗത സുരക്ഷാ ഉപകരണങ്ങൾ നിർബന്ധമായും ഉപയോഗിക്കണം",
    "കാക്കനാട് വിപുലീകരണ സൈറ്റുകളിൽ നടത്തിയ പരിശോധനയിൽ പല കരാർ തൊഴിലാളികളും ഹെൽമെറ്റും സുരക്ഷാ ബെൽറ്റും "
    "ഇല്ലാതെ ജോലി ചെയ്യുന്നതായി കണ്ടെത്തി. സുരക്ഷാ ഉപകരണങ്ങൾ ഇല്ലാതെ ഒരു തൊഴിലാളിയും സൈറ്റിൽ പ്രവേശിക്കുന്നില്ലെന്ന് "
    "കരാറുകാർ ഉറപ്പാക്കണം. നിർദ്ദേശം ലംഘിക്കുന്ന സ്ഥലങ്ങളിൽ സൈറ്റ് എഞ്ചിനീയർമാർ ഉടൻ ജോലി നിർത്തിവയ്ക്കണം.",
    "Safety Department / സുരക്ഷാ വിഭാഗം",
]))
add(Doc("safety/circulars/safety-alert-escalator-entrapment.eml", "safety", "safety_circular", "en", [
    "To all Station Managers and the E&M maintenance team,",
    "SAFETY ALERT 04/2026: Following two cases of children's footwear being caught at the comb plate of "
    "escalators this month, the following precautions are to be taken with immediate effect:",
    "- Announce escalator safety messages every 15 minutes during peak hours.\n- Deploy a staff member "
    "near escalators at Edapally, MG Road and Vyttila on weekends.\n- Check comb plate teeth and skirt "
    "brushes daily and replace damaged ones before opening.\n- Emergency stop buttons must be tested at the "
    "start of each day.",
    "Please acknowledge and confirm compliance by return mail.",
    "Chief Safety Officer, KMRL",
], email={"subject": "Safety Alert 04/2026 - escalator entrapment precautions",
          "from": "Chief Safety Officer <cso.safety@kmrl.co.in>", "to": "station-managers@kmrl.co.in"}))
add(Doc("safety/circulars/സർക്കുലർ-ട്രാക്ക്-പ്രവേശനം.pdf", "safety", "safety_circular", "ml", [
    LETTERHEAD_ML,
    "സർക്കുലർ",
    "നമ്പർ: കെഎംആർഎൽ/സുരക്ഷ/2026/14   തീയതി: 20.07.2026",
    "വിഷയം: രാത്രി അറ്റകുറ്റപ്പണി സമയത്ത് ട്രാക്കിലേക്കുള്ള പ്രവേശനം",
    "രാത്രികാല അറ്റകുറ്റപ്പണികൾക്കായി ട്രാക്കിൽ പ്രവേശിക്കുന്നതിന് മുമ്പ് ഓപ്പറേഷൻസ് കൺട്രോൾ സെന്ററിൽ നിന്ന് "
    "പെർമിറ്റ് വാങ്ങിയിരിക്കണം. തേർഡ് റെയിലിലെ വൈദ്യുതി വിച്ഛേദിച്ചുവെന്നും എർത്തിങ് ചെയ്തുവെന്നും ഉറപ്പാക്കിയ "
    "ശേഷം മാത്രമേ ജോലി ആരംഭിക്കാവൂ. ഓരോ സംഘത്തിലും ഒരു സുരക്ഷാ ചുമതലക്കാരൻ ഉണ്ടായിരിക്കണം.",
    "ഈ നിർദ്ദേശങ്ങൾ ലംഘിക്കുന്നവർക്കെതിരെ കർശന നടപടി സ്വീകരിക്കും. എല്ലാ വിഭാഗം മേധാവികളും ഇത് ജീവനക്കാരെ "
    "അറിയിക്കണം.",
    "ചീഫ് സേഫ്റ്റി ഓഫീസർ",
]))
add(Doc("safety/circulars/heat-stress-advisory.docx", "safety", "safety_circular", "en", [
    LETTERHEAD_EN,
    "Safety Advisory: Heat stress during summer months",
    "Ref: KMRL/SAFETY/ADV/2026/02                                   Date: 02.04.2026",
    "The India Meteorological Department has forecast temperatures above 37 degrees Celsius in Ernakulam "
    "district during April and May. Outdoor work on viaducts, station roofs and at construction sites "
    "exposes staff to heat stress.",
    "All supervisors shall: reschedule heavy outdoor work between 12 noon and 3 pm; provide drinking water, "
    "ORS and shaded rest areas at every work site; and watch for symptoms such as dizziness, cramps and "
    "confusion. A worker showing these symptoms must be moved to shade and given first aid immediately.",
    "This advisory is issued under the KMRL Safety Management System and is to be displayed on all notice "
    "boards.",
    "Safety Department",
]))

# --------------------------------------------------------------------------------------------
# safety / incident_report
# --------------------------------------------------------------------------------------------
add(Doc("safety/incidents/IR-2026-031_platform-fall.docx", "safety", "incident_report", "en", [
    LETTERHEAD_EN,
    "INCIDENT REPORT No. IR/2026/031",
    [["Date of incident", "14.03.2026"], ["Time of occurrence", "18:42 hrs"],
     ["Location", "Kaloor station, platform 2 (towards Aluva)"],
     ["Type", "Passenger fall on platform"], ["Reported by", "Station Controller, Kaloor"]],
    "Sequence of events: A 67-year-old passenger slipped near the platform screen door while boarding train "
    "set 14 during the evening peak. The train operator held the train and the station staff attended to "
    "the passenger within two minutes. First aid was given and the passenger was taken to the Lourdes "
    "hospital by ambulance. He was discharged the same night with minor injuries.",
    "Root cause: Floor wet from rain water carried in by passengers; anti-skid mat had been removed for "
    "cleaning and not replaced.",
    "Corrective action: Mat replaced; housekeeping contractor instructed to keep mats at all entrances "
    "during rain. Preventive action: checklist for wet-weather precautions added to the station opening "
    "procedure.",
    "CCTV footage preserved. Witness statements of two staff members attached.",
]))
add(Doc("safety/incidents/അപകട_റിപ്പോർട്ട്_മുട്ടം_ഡിപ്പോ.pdf", "safety", "incident_report", "ml", [
    LETTERHEAD_ML,
    "അപകട റിപ്പോർട്ട്",
    "റിപ്പോർട്ട് നമ്പർ: ഐആർ/2026/044\nസംഭവ തീയതി: 09.05.2026, സമയം രാവിലെ 10:15\nസ്ഥലം: മുട്ടം ഡിപ്പോ, "
    "പരിശോധനാ പിറ്റ് ലൈൻ 3",
    "സംഭവ വിവരണം: ട്രെയിൻ സെറ്റ് 09 ന്റെ അടിഭാഗത്തെ പരിശോധനയ്ക്കിടെ ഒരു കരാർ ടെക്നീഷ്യൻ പിറ്റിലെ പടിയിൽ നിന്ന് "
    "വഴുതി വീണു. ഇടതു കൈക്ക് പരിക്കേറ്റ അദ്ദേഹത്തെ ഡിപ്പോയിലെ പ്രഥമശുശ്രൂഷയ്ക്ക് ശേഷം ആലുവയിലെ ആശുപത്രിയിൽ "
    "പ്രവേശിപ്പിച്ചു. എക്സ്-റേ പരിശോധനയിൽ ചെറിയ പൊട്ടൽ കണ്ടെത്തി.",
    "മൂലകാരണം: പിറ്റിലെ പടികളിൽ എണ്ണ പടർന്നിരുന്നു; ആവശ്യത്തിന് വെളിച്ചം ഉണ്ടായിരുന്നില്ല.",
    "തിരുത്തൽ നടപടികൾ: പടികൾ വൃത്തിയാക്കി ആന്റി-സ്കിഡ് പെയിന്റ് അടിച്ചു. പിറ്റിൽ അധിക ലൈറ്റുകൾ സ്ഥാപിക്കാൻ "
    "നിർദ്ദേശം നൽകി. സംഭവത്തെക്കുറിച്ച് വിശദമായ അന്വേഷണം നടത്താൻ മൂന്നംഗ സമിതിയെ നിയോഗിച്ചു.",
    "ഡിപ്പോ സേഫ്റ്റി ഓഫീസർ",
]))
add(Doc("safety/incidents/near-miss-report-vyttila.eml", "safety", "incident_report", "en", [
    "Sir,",
    "I am reporting a near miss at Vyttila station this morning. At 07:55 a maintenance van belonging to the "
    "lift contractor reversed into the station forecourt while a group of school children was crossing to "
    "the entry. The driver stopped about one metre short after the security guard shouted. Nobody was hurt.",
    "The van had no reversing alarm and there was no banksman. I have stopped the contractor's vehicle "
    "movement in the forecourt during station hours until a traffic plan is agreed.",
    "Photographs and the security guard's statement are attached. Requesting an investigation and a review "
    "of vehicle movement rules at all stations with forecourts.",
    "Station Manager, Vyttila",
], email={"subject": "Near miss - contractor vehicle reversing in Vyttila forecourt",
          "from": "Station Manager Vyttila <sm.vyttila@kmrl.co.in>", "to": "safety@kmrl.co.in"}))
add(Doc("safety/incidents/സംഭവ-റിപ്പോർട്ട്-എസ്കലേറ്റർ.txt", "safety", "incident_report", "bilingual", [
    "INCIDENT REPORT / സംഭവ റിപ്പോർട്ട്",
    "Ref: IR/2026/052, Edapally station, 22.06.2026, 17:20",
    "A woman passenger lost balance on the down escalator at entry B when the escalator stopped suddenly. "
    "She fell forward and suffered bruises on both knees. The escalator had stopped because another "
    "passenger pressed the emergency stop button. Station staff gave first aid; the passenger declined "
    "hospital treatment.",
    "എഡപ്പള്ളി സ്റ്റേഷനിലെ ബി പ്രവേശന കവാടത്തിലെ എസ്കലേറ്റർ പെട്ടെന്ന് നിന്നപ്പോൾ ഒരു യാത്രക്കാരി വീണ് കാൽമുട്ടുകൾക്ക് "
    "പരിക്കേറ്റു. മറ്റൊരു യാത്രക്കാരൻ അടിയന്തര സ്റ്റോപ്പ് ബട്ടൺ അമർത്തിയതാണ് കാരണം. ജീവനക്കാർ പ്രഥമശുശ്രൂഷ നൽകി.",
    "Action: awareness announcements on the correct use of the emergency stop; CCTV review done.",
    "നടപടി: അടിയന്തര സ്റ്റോപ്പ് ബട്ടൺ ശരിയായി ഉപയോഗിക്കുന്നതിനെക്കുറിച്ച് അറിയിപ്പുകൾ നൽകും.",
]))
add(Doc("safety/incidents/fire-incident-report-RSS.pdf", "safety", "incident_report", "en", [
    LETTERHEAD_EN,
    "REPORT ON THE FIRE INCIDENT AT KALAMASSERY RECEIVING SUBSTATION",
    "1. Summary. On 3 February 2026 at about 02:10 hrs smoke was noticed in the 33 kV cable gallery of the "
    "Kalamassery receiving substation. The fire detection system raised an alarm, the power controller "
    "isolated the affected feeder and the Fire and Rescue Services were called. The fire was confined to "
    "one cable tray and was put out by 02:45 hrs. There were no injuries and no disruption to train service "
    "because supply was fed from the Muttom substation.",
    "2. Investigation. The committee found that a cable joint had overheated due to a loose lug. Thermal "
    "scanning of the gallery had last been done eleven months earlier.",
    "3. Recommendations. Thermal scanning of all cable galleries every quarter; replacement of the damaged "
    "cables; review of the fire barrier between cable trays. Action by: Electrical maintenance, within 30 days.",
    "Chairman, Enquiry Committee",
]))
add(Doc("safety/incidents/incident_log_May2026.csv", "safety", "incident_report", "en", [
    [["Incident ID", "Date", "Time", "Station / location", "Category", "Description", "Injury", "Action taken"],
     ["IR-2026-041", "2026-05-02", "08:14", "Aluva", "Passenger fall", "Elderly passenger tripped at AFC gate", "Minor", "First aid"],
     ["IR-2026-042", "2026-05-04", "19:02", "MG Road", "Door incident", "Bag caught in train door, train held 40 s", "None", "Announcement"],
     ["IR-2026-043", "2026-05-07", "13:30", "Muttom depot", "Near miss", "Forklift reversed close to pedestrian walkway", "None", "Operator counselled"],
     ["IR-2026-044", "2026-05-09", "10:15", "Muttom depot", "Slip", "Technician slipped in inspection pit", "Fracture", "Hospitalised, enquiry"],
     ["IR-2026-045", "2026-05-21", "17:47", "Vyttila", "Medical", "Passenger fainted on platform", "None", "Ambulance called"]],
]))

# --------------------------------------------------------------------------------------------
# hr / hr_policy
# --------------------------------------------------------------------------------------------
add(Doc("hr/policies/Leave_Policy_2026.pdf", "hr", "hr_policy", "en", [
    LETTERHEAD_EN,
    "HUMAN RESOURCES DEPARTMENT\nLEAVE POLICY (Revised) - effective from 1 April 2026",
    "1. Scope. This policy applies to all regular employees of KMRL. It supersedes the leave rules notified "
    "in 2019.",
    "2. Entitlement. Casual leave: 12 days per calendar year. Earned leave: 30 days per year, credited in "
    "two instalments on 1 January and 1 July; accumulation up to 300 days. Half pay leave: 20 days per "
    "completed year of service. Maternity leave: 26 weeks. Paternity leave: 15 days.",
    "3. Procedure. Leave shall be applied for through the ESS portal and sanctioned by the reporting officer "
    "in advance, except in emergencies. Unauthorised absence will be treated as leave without pay and may "
    "lead to disciplinary action under the KMRL Conduct, Discipline and Appeal Rules.",
    "4. Encashment. Earned leave up to 10 days may be encashed once a year.",
    "General Manager (HR)",
]))
add(Doc("hr/policies/വർക്ക്_ഫ്രം_ഹോം_നയം.docx", "hr", "hr_policy", "ml", [
    LETTERHEAD_ML,
    "മാനവ വിഭവശേഷി വിഭാഗം",
    "വീട്ടിലിരുന്ന് ജോലി ചെയ്യുന്നത് സംബന്ധിച്ച നയം",
    "1. ഈ നയം കോർപ്പറേറ്റ് ഓഫീസിലെ ഭരണ, ധനകാര്യ, ഐടി വിഭാഗങ്ങളിലെ ജീവനക്കാർക്ക് ബാധകമാണ്. സ്റ്റേഷനുകളിലും "
    "ഡിപ്പോയിലും ജോലി ചെയ്യുന്ന ജീവനക്കാർക്ക് ഇത് ബാധകമല്ല.",
    "2. ഒരു മാസം പരമാവധി നാല് ദിവസം വീട്ടിലിരുന്ന് ജോലി ചെയ്യാൻ ജീവനക്കാർ അർഹരാണ്. ഇതിന് റിപ്പോർട്ടിങ് ഓഫീസറുടെ "
    "മുൻകൂർ അനുമതി വേണം.",
    "3. ഈ ദിവസങ്ങളിൽ ജീവനക്കാർ ഓഫീസ് സമയത്ത് ഫോണിലും ഇ-മെയിലിലും ലഭ്യമായിരിക്കണം. ഹാജർ ഇഎസ്എസ് പോർട്ടലിൽ "
    "രേഖപ്പെടുത്തണം.",
    "4. നയം ദുരുപയോഗം ചെയ്യുന്നവർക്കെതിരെ അച്ചടക്ക നടപടി സ്വീകരിക്കും. ഈ നയം 2026 ജൂൺ 1 മുതൽ പ്രാബല്യത്തിൽ വരും.",
    "ജനറൽ മാനേജർ (എച്ച്ആർ)",
]))
add(Doc("hr/policies/transfer-policy-station-staff.txt", "hr", "hr_policy", "en", [
    "KMRL/HR/POL/2026/03",
    "TRANSFER AND ROTATION POLICY FOR STATION STAFF",
    "Objective: to give station staff exposure to stations with different passenger profiles and to avoid "
    "long stays at one location.",
    "1. Station controllers and customer relations assistants shall be rotated every three years. 2. "
    "Requests on medical grounds or for spouses working in KMRL will be considered on priority. 3. "
    "Employees within two years of retirement will not normally be transferred. 4. The annual transfer "
    "list will be published in April; representations may be made within 15 days to the HR department. "
    "5. Employees shall join the new station within seven days of relief; joining time does not count as "
    "leave.",
    "This policy comes into force from the date of issue and replaces office order no. 112/2021.",
    "Deputy General Manager (Human Resources)",
]))
add(Doc("hr/policies/hr-policy-posh-bilingual.pdf", "hr", "hr_policy", "bilingual", [
    LETTERHEAD_BI,
    "Policy on prevention of sexual harassment at the workplace / ജോലിസ്ഥലത്തെ ലൈംഗിക പീഡനം തടയുന്നതിനുള്ള നയം",
    "KMRL is committed to a workplace free from harassment. Every employee, trainee, contract worker and "
    "visitor is covered by this policy. Complaints may be made in writing to the Internal Committee within "
    "three months of the incident; the committee will complete its inquiry within 90 days. Confidentiality "
    "of the complainant will be protected, and retaliation is a misconduct under the service rules.",
    "ഉപദ്രവമില്ലാത്ത ജോലിസ്ഥലം ഉറപ്പാക്കാൻ കെഎംആർഎൽ പ്രതിജ്ഞാബദ്ധമാണ്. എല്ലാ ജീവനക്കാർക്കും ട്രെയിനികൾക്കും കരാർ "
    "തൊഴിലാളികൾക്കും ഈ നയം ബാധകമാണ്. സംഭവം നടന്ന് മൂന്ന് മാസത്തിനകം ആഭ്യന്തര സമിതിക്ക് രേഖാമൂലം പരാതി നൽകാം. "
    "പരാതിക്കാരുടെ വിവരങ്ങൾ രഹസ്യമായി സൂക്ഷിക്കും.",
    "Internal Committee: Chairperson - Deputy General Manager (Finance); Members - two officers and one "
    "external member from an NGO.",
]))
add(Doc("hr/policies/allowance-revision-OM.eml", "hr", "hr_policy", "en", [
    "All employees,",
    "Please see below Office Memorandum HR/OM/2026/019 on the revision of shift and night duty allowances, "
    "approved by the competent authority.",
    "With effect from 1 July 2026: (a) shift allowance for rotating shifts is revised from Rs 1,200 to Rs "
    "1,800 per month; (b) night duty allowance is revised to Rs 250 per night for duty between 22:00 and "
    "06:00 hrs; (c) employees on leave for a full month are not eligible for the shift allowance for that "
    "month.",
    "Claims shall be made through the ESS portal along with the duty roster certified by the reporting "
    "officer. Arrears from July will be paid with the September salary.",
    "HR Department",
], email={"subject": "Office Memorandum - revision of shift and night duty allowances",
          "from": "HR Department <hr@kmrl.co.in>", "to": "all-employees@kmrl.co.in"}))
add(Doc("hr/policies/ഹാജർ-നയം-ബയോമെട്രിക്.pdf", "hr", "hr_policy", "ml", [
    LETTERHEAD_ML,
    "ബയോമെട്രിക് ഹാജർ സംവിധാനം - ജീവനക്കാർക്കുള്ള നിർദ്ദേശങ്ങൾ",
    "ഓഫീസ് ഉത്തരവ് നമ്പർ എച്ച്ആർ/2026/27 പ്രകാരം 2026 ഓഗസ്റ്റ് 1 മുതൽ എല്ലാ ഓഫീസുകളിലും ബയോമെട്രിക് ഹാജർ "
    "നിർബന്ധമാക്കുന്നു. ജീവനക്കാർ ജോലിക്ക് എത്തുമ്പോഴും മടങ്ങുമ്പോഴും മുഖം തിരിച്ചറിയൽ യന്ത്രത്തിൽ ഹാജർ "
    "രേഖപ്പെടുത്തണം.",
    "മാസത്തിൽ മൂന്ന് തവണയിൽ കൂടുതൽ പതിനഞ്ച് മിനിറ്റിലധികം വൈകിയെത്തിയാൽ അര ദിവസത്തെ കാഷ്വൽ അവധി കുറയ്ക്കും. "
    "ഔദ്യോഗിക യാത്രയിലുള്ളവർ ഇഎസ്എസ് പോർട്ടലിൽ ഓൺ ഡ്യൂട്ടി അപേക്ഷ നൽകണം. ശമ്പളം ഹാജർ രേഖകളുടെ അടിസ്ഥാനത്തിൽ "
    "മാത്രമേ കണക്കാക്കുകയുള്ളൂ.",
    "മാനവ വിഭവശേഷി വിഭാഗം",
]))

# --------------------------------------------------------------------------------------------
# hr / training_notice
# --------------------------------------------------------------------------------------------
add(Doc("hr/training/refresher-course-train-operators.eml", "hr", "training_notice", "en", [
    "Dear all,",
    "The annual refresher course for train operators will be held at the KMRL Training Institute, Muttom, "
    "in four batches of 12 participants each:",
    "Batch 1: 8-10 July 2026\nBatch 2: 15-17 July 2026\nBatch 3: 22-24 July 2026\nBatch 4: 29-31 July 2026",
    "The course covers CBTC degraded modes, door fault handling, evacuation on the viaduct and simulator "
    "sessions. Attendance is compulsory for all train operators whose last refresher was before July 2024.",
    "Depot controllers are requested to release the nominated staff and send the nominations by 30 June. "
    "Trainees should report at 09:00 hrs with their competency certificates.",
    "Regards,\nPrincipal, KMRL Training Institute",
], email={"subject": "Refresher course for train operators - July 2026 batches",
          "from": "Training Institute <training@kmrl.co.in>", "to": "depot-controllers@kmrl.co.in"}))
add(Doc("hr/training/പരിശീലന_പരിപാടി_പ്രഥമശുശ്രൂഷ.pdf", "hr", "training_notice", "ml", [
    LETTERHEAD_ML,
    "അറിയിപ്പ്",
    "പ്രഥമശുശ്രൂഷ, സിപിആർ പരിശീലന പരിപാടി",
    "സ്റ്റേഷൻ ജീവനക്കാർക്കായി ഇന്ത്യൻ റെഡ് ക്രോസ് സൊസൈറ്റിയുടെ സഹകരണത്തോടെ രണ്ട് ദിവസത്തെ പ്രഥമശുശ്രൂഷ, സിപിആർ "
    "പരിശീലനം സംഘടിപ്പിക്കുന്നു.",
    "തീയതി: 2026 ഓഗസ്റ്റ് 18, 19\nസമയം: രാവിലെ 9.30 മുതൽ വൈകിട്ട് 5 വരെ\nവേദി: പരിശീലന കേന്ദ്രം, മുട്ടം ഡിപ്പോ",
    "ഓരോ സ്റ്റേഷനിൽ നിന്നും രണ്ട് ജീവനക്കാരെ വീതം നാമനിർദ്ദേശം ചെയ്യണം. പങ്കെടുക്കുന്നവരുടെ പേരുകൾ ഓഗസ്റ്റ് 10 നകം "
    "എച്ച്ആർ വിഭാഗത്തിൽ അറിയിക്കണം. പരിശീലനം പൂർത്തിയാക്കുന്നവർക്ക് സർട്ടിഫിക്കറ്റ് നൽകും.",
    "ഡെപ്യൂട്ടി ജനറൽ മാനേജർ (എച്ച്ആർ)",
]))
add(Doc("hr/training/training-calendar-2026-27.pptx", "hr", "training_notice", "en", [
    "# Training calendar 2026-27",
    "KMRL Training Institute, Muttom - programmes open for nomination",
    "# Technical programmes",
    "CBTC signalling fundamentals - 5 days, June and November",
    "Rolling stock: bogie and brake systems - 4 days, August",
    "Traction power and SCADA - 3 days, September",
    "# Management and soft skills",
    "Customer service excellence for station staff - 2 days, monthly",
    "Leadership programme for first-line supervisors - 3 days, October",
    "# How to nominate",
    "Heads of departments send nominations through the HRMS training module",
    "Minimum 15 and maximum 25 participants per batch",
]))
add(Doc("hr/training/workshop-notice-malayalam-computing.docx", "hr", "training_notice", "bilingual", [
    LETTERHEAD_BI,
    "NOTICE - Workshop on Malayalam computing / മലയാളം കമ്പ്യൂട്ടിങ് ശിൽപശാല",
    "As part of the official language implementation programme, a one-day workshop on Malayalam typing, "
    "Unicode fonts and preparing bilingual letters will be held on 14 September 2026 at the conference "
    "hall, Kaloor. Officers who draft correspondence are encouraged to attend. Register with the HR "
    "department by 5 September.",
    "ഔദ്യോഗിക ഭാഷാ പരിപാടിയുടെ ഭാഗമായി മലയാളം ടൈപ്പിങ്, യൂണികോഡ് ഫോണ്ടുകൾ, ദ്വിഭാഷാ കത്തുകൾ തയ്യാറാക്കൽ എന്നിവയിൽ "
    "ഏകദിന ശിൽപശാല 2026 സെപ്റ്റംബർ 14 ന് കലൂരിലെ കോൺഫറൻസ് ഹാളിൽ നടക്കും. താൽപര്യമുള്ളവർ സെപ്റ്റംബർ 5 നകം "
    "എച്ച്ആർ വിഭാഗത്തിൽ പേര് രജിസ്റ്റർ ചെയ്യണം.",
]))
add(Doc("hr/training/induction-programme-new-recruits.txt", "hr", "training_notice", "en", [
    "INDUCTION PROGRAMME FOR NEWLY RECRUITED STATION CONTROLLERS",
    "Duration: 3 August to 11 September 2026 (six weeks)\nVenue: KMRL Training Institute, Muttom depot",
    "The induction programme will cover the organisation and its values, station operations, ticketing and "
    "AFC equipment, customer handling, fire and evacuation procedures, and on-the-job training at "
    "selected stations. Trainees will be assessed at the end of each module; a final examination is held in "
    "the sixth week.",
    "The 34 newly recruited station controllers shall report to the Principal on 3 August at 09:00 hrs with "
    "their appointment orders and original certificates. Hostel accommodation is available on request.",
    "Human Resources Department",
]))
add(Doc("hr/training/ബോധവൽക്കരണ-ക്ലാസ്-സൈബർ-സുരക്ഷ.eml", "hr", "training_notice", "ml", [
    "എല്ലാ ജീവനക്കാരുടെയും ശ്രദ്ധയ്ക്ക്,",
    "ഫിഷിങ് ഇ-മെയിലുകളും ഓൺലൈൻ തട്ടിപ്പുകളും തിരിച്ചറിയുന്നതിനെക്കുറിച്ച് ഒരു ബോധവൽക്കരണ ക്ലാസ് 2026 ജൂലൈ 25 "
    "വെള്ളിയാഴ്ച ഉച്ചയ്ക്ക് 3 മണിക്ക് ഓൺലൈനായി നടത്തുന്നു. കേരള പോലീസ് സൈബർഡോമിലെ ഉദ്യോഗസ്ഥരാണ് ക്ലാസ് "
    "നയിക്കുന്നത്.",
    "ഒരു മണിക്കൂർ ദൈർഘ്യമുള്ള ക്ലാസിൽ എല്ലാ ഓഫീസ് ജീവനക്കാരും പങ്കെടുക്കണം. ലിങ്ക് ക്ലാസിന് അര മണിക്കൂർ മുൻപ് "
    "അയയ്ക്കും. പങ്കെടുത്തവരുടെ ഹാജർ പരിശീലന രേഖകളിൽ ചേർക്കും.",
    "പരിശീലന വിഭാഗം",
], email={"subject": "സൈബർ സുരക്ഷാ ബോധവൽക്കരണ ക്ലാസ് - ജൂലൈ 25",
          "from": "Training Cell <training@kmrl.co.in>", "to": "all-employees@kmrl.co.in"}))

# --------------------------------------------------------------------------------------------
# engineering / maintenance_report
# --------------------------------------------------------------------------------------------
add(Doc("engineering/maintenance/bogie-inspection-TS07.docx", "engineering", "maintenance_report", "en", [
    LETTERHEAD_EN,
    "Rolling Stock Maintenance - Bogie Inspection Report",
    "Train set: TS-07 (cars DMC1, TC, DMC2)   Schedule: B4 (90-day)   Date: 16.04.2026   Depot: Muttom",
    [["Item checked", "Limit", "Measured", "Remarks"],
     ["Wheel flange thickness, axle 1", "26-33 mm", "29.4 mm", "OK"],
     ["Wheel diameter, axle 3", ">= 790 mm", "801 mm", "OK"],
     ["Primary spring height", "262 +/- 4 mm", "259 mm", "OK"],
     ["Brake pad thickness, DMC2 bogie 2", ">= 8 mm", "7.1 mm", "Replaced"],
     ["Gearbox oil level", "Min-Max", "Min", "Topped up"]],
    "Observations: Minor oil seepage at the gearbox of DMC1 axle 2; seal to be replaced at the next B8 "
    "schedule. Yaw damper bushes show wear within limits. All other parameters within limits.",
    "Work done: brake pads replaced on DMC2 bogie 2; gearbox oil topped up; earthing brushes cleaned.",
    "Train set fit for service. Next due: B4 schedule on 15.07.2026.",
    "Section Engineer (Rolling Stock)",
]))
add(Doc("engineering/maintenance/escalator-PM-checklist-May.xlsx", "engineering", "maintenance_report", "en", [
    "## PM May 2026",
    "Escalator preventive maintenance - monthly report, May 2026 (contractor: Orbit Elevators)",
    [["Station", "Escalator ID", "Date", "Step chain", "Handrail speed", "Comb plates", "Brake test", "Status"],
     ["Aluva", "ALV-ESC-01", "2026-05-04", "OK", "OK", "2 teeth broken - replaced", "OK", "In service"],
     ["Edapally", "EDP-ESC-03", "2026-05-06", "Lubricated", "OK", "OK", "OK", "In service"],
     ["MG Road", "MGR-ESC-02", "2026-05-09", "OK", "Slipping - adjusted", "OK", "OK", "In service"],
     ["Vyttila", "VYT-ESC-04", "2026-05-12", "OK", "OK", "OK", "Failed - pads replaced", "In service after retest"],
     ["Kaloor", "KLR-ESC-01", "2026-05-15", "Worn rollers", "OK", "OK", "OK", "Spares awaited"]],
    "## Summary",
    "43 of 44 escalators inspected; KLR-ESC-01 step rollers to be replaced when spares arrive (expected 10 June).",
]))
add(Doc("engineering/maintenance/ട്രാക്ക്_പരിശോധന_റിപ്പോർട്ട്.pdf", "engineering", "maintenance_report", "ml", [
    LETTERHEAD_ML,
    "ട്രാക്ക് പരിശോധന റിപ്പോർട്ട്",
    "വിഭാഗം: ആലുവ - കളമശ്ശേരി (ഡൗൺ ലൈൻ)\nപരിശോധന തീയതി: 2026 ഏപ്രിൽ 22 രാത്രി\nപരിശോധിച്ചത്: ട്രാക്ക് മെയിന്റനൻസ് സംഘം 2",
    "നിരീക്ഷണങ്ങൾ: ചെയിനേജ് 3+450 ൽ പാളത്തിന്റെ തേയ്മാനം അനുവദനീയ പരിധിക്കുള്ളിലാണ്. 4+120 ലെ ടേൺഔട്ടിൽ "
    "രണ്ട് ഫാസ്റ്റനിങ് ക്ലിപ്പുകൾ അയഞ്ഞതായി കണ്ടെത്തി, അവ ഉടൻ മുറുക്കി. എക്സ്പാൻഷൻ ജോയിന്റുകളുടെ വിടവ് അളന്നു; "
    "എല്ലാം പരിധിക്കുള്ളിൽ.",
    "ചെയ്ത ജോലികൾ: അൾട്രാസോണിക് പരിശോധന 2.3 കിലോമീറ്റർ പൂർത്തിയാക്കി. പോയിന്റുകൾ വൃത്തിയാക്കി ലൂബ്രിക്കേഷൻ നടത്തി. "
    "കേടായ ഒരു സ്ലീപ്പർ പാഡ് മാറ്റിസ്ഥാപിച്ചു.",
    "അടുത്ത പരിശോധന: 2026 മേയ് 20. വിഭാഗം സുരക്ഷിതമായ ട്രെയിൻ ഓട്ടത്തിന് യോഗ്യമാണ്.",
    "സെക്ഷൻ എഞ്ചിനീയർ (ട്രാക്ക്)",
]))
add(Doc("engineering/maintenance/transformer-oil-test-results.csv", "engineering", "maintenance_report", "en", [
    [["Substation", "Transformer", "Test date", "BDV (kV)", "Moisture (ppm)", "Acidity (mg KOH/g)", "Tan delta", "Result", "Next test"],
     ["Kalamassery RSS", "TR-1 40 MVA", "2026-03-11", "62", "14", "0.04", "0.006", "Within limits", "2026-09"],
     ["Kalamassery RSS", "TR-2 40 MVA", "2026-03-11", "48", "27", "0.09", "0.018", "Filtration recommended", "2026-06"],
     ["Muttom ASS", "ASS-TR-1 2.5 MVA", "2026-03-14", "58", "16", "0.05", "0.008", "Within limits", "2026-09"],
     ["Vyttila TSS", "TSS-TR-1 3.3 MVA", "2026-03-18", "55", "19", "0.06", "0.011", "Within limits", "2026-09"]],
]))
add(Doc("engineering/maintenance/അറ്റകുറ്റപ്പണി-റിപ്പോർട്ട്-ലിഫ്റ്റ്.docx", "engineering", "maintenance_report", "bilingual", [
    LETTERHEAD_BI,
    "Lift maintenance report - June 2026 / ലിഫ്റ്റ് അറ്റകുറ്റപ്പണി റിപ്പോർട്ട് - ജൂൺ 2026",
    "Preventive maintenance of all 58 lifts was completed in June. Door sensors were cleaned and tested at "
    "every station; rope tension was measured on 12 lifts and found within limits. The ARD batteries of the "
    "Pathadipalam lift were replaced.",
    "ജൂണിൽ എല്ലാ 58 ലിഫ്റ്റുകളുടെയും അറ്റകുറ്റപ്പണി പൂർത്തിയാക്കി. എല്ലാ സ്റ്റേഷനുകളിലും ഡോർ സെൻസറുകൾ വൃത്തിയാക്കി "
    "പരിശോധിച്ചു. പത്തടിപ്പാലം സ്റ്റേഷനിലെ ലിഫ്റ്റിന്റെ ബാറ്ററികൾ മാറ്റിസ്ഥാപിച്ചു. തകരാറുകൾ മൂലം ലിഫ്റ്റുകൾ ആകെ 14 "
    "മണിക്കൂർ പ്രവർത്തനരഹിതമായി.",
    [["Station / സ്റ്റേഷൻ", "Lifts", "Breakdowns", "Downtime (h)"],
     ["Aluva", "3", "1", "2.5"], ["Pathadipalam", "2", "2", "6.0"], ["Kadavanthra", "2", "1", "5.5"]],
    "Availability for the month: 99.6%. / ഈ മാസത്തെ ലഭ്യത: 99.6%.",
]))
add(Doc("engineering/maintenance/OHE-viaduct-bearing-inspection.txt", "engineering", "maintenance_report", "en", [
    "STRUCTURES MAINTENANCE - VIADUCT BEARING INSPECTION REPORT",
    "Stretch: Palarivattom to Kaloor, piers P412 to P455. Inspection date: 11-12 May 2026. Method: visual "
    "inspection from the under-bridge inspection unit, with photographs of each bearing.",
    "Findings: 86 elastomeric bearings inspected. 81 in good condition. 4 bearings show surface cracking "
    "of the cover rubber (P419, P427, P438, P441) - to be monitored. 1 bearing at P450 shows bulging beyond "
    "the permissible limit and is recommended for replacement. Expansion joints at P420 and P440 were found "
    "clogged with debris and were cleaned.",
    "Recommendation: replacement of the bearing at P450 to be planned in the night block of June; next "
    "inspection of this stretch after the monsoon.",
    "Assistant Engineer (Structures)",
]))

# --------------------------------------------------------------------------------------------
# engineering / work_order
# --------------------------------------------------------------------------------------------
add(Doc("engineering/work-orders/WO-448211.pdf", "engineering", "work_order", "en", [
    LETTERHEAD_EN,
    "WORK ORDER",
    [["WO number", "448211"], ["Work type", "CM (corrective maintenance)"], ["Priority", "2 - High"],
     ["Asset", "PM-EDP-07 point machine, Edapally crossover"], ["Reported", "18-05-2026 05:40"],
     ["Assigned to", "Signalling maintenance team B"], ["Target completion", "18-05-2026 23:00"]],
    "Job description: Point machine 07 failed to detect in normal position during the morning trial run. "
    "Inspect the detection contacts and the drive rod adjustment, replace the detector if required, and "
    "carry out a point operation test (10 normal-reverse cycles) before handing over.",
    "Materials required: detector assembly (1 no.), contact springs, grease. Tools: point gauge, multimeter.",
    "Safety: obtain a track possession permit from the OCC; ensure third rail is de-energised and earthed.",
    "Work completed by: ________   Supervisor sign-off: ________",
]))
add(Doc("engineering/work-orders/വർക്ക്_ഓർഡർ_സ്റ്റേഷൻ_പെയിന്റിങ്.docx", "engineering", "work_order", "ml", [
    LETTERHEAD_ML,
    "വർക്ക് ഓർഡർ",
    "നമ്പർ: കെഎംആർഎൽ/സിവിൽ/ഡബ്ല്യുഒ/2026/118\nതീയതി: 05.06.2026",
    "കരാറുകാരൻ: എം/എസ് ശ്രീ ദുർഗ കൺസ്ട്രക്ഷൻസ്, പെരുമ്പാവൂർ",
    "ജോലിയുടെ വിവരണം: ചങ്ങമ്പുഴ പാർക്ക്, പാലാരിവട്ടം സ്റ്റേഷനുകളുടെ പുറം ഭിത്തികൾ വൃത്തിയാക്കി രണ്ട് കോട്ട് "
    "എക്സ്റ്റീരിയർ പെയിന്റ് അടിക്കൽ. ആകെ വിസ്തീർണം ഏകദേശം 4,200 ചതുരശ്ര മീറ്റർ.",
    "ജോലി ആരംഭിക്കേണ്ട തീയതി: 10.06.2026\nപൂർത്തിയാക്കേണ്ട തീയതി: 10.07.2026",
    "നിബന്ധനകൾ: യാത്രക്കാരുടെ സഞ്ചാരം തടസ്സപ്പെടാത്ത വിധം ജോലി ചെയ്യണം. ഉയരത്തിൽ ജോലി ചെയ്യുന്നവർ സുരക്ഷാ ബെൽറ്റ് "
    "ധരിക്കണം. ആവശ്യമായ സാമഗ്രികൾ കരാറുകാരൻ സ്വന്തം ചെലവിൽ ലഭ്യമാക്കണം. ജോലിയുടെ മേൽനോട്ടം അസിസ്റ്റന്റ് "
    "എഞ്ചിനീയർ (സിവിൽ) നിർവഹിക്കും.",
    "ഡെപ്യൂട്ടി ജനറൽ മാനേജർ (സിവിൽ)",
]))
add(Doc("engineering/work-orders/maximo_WO-451907_job-card.txt", "engineering", "work_order", "en", [
    "JOB CARD - WO 451907",
    "Site: KMRL-MTM  Work type: PM  Status: APPR  Location: MUTTOM DEPOT / WASH PLANT",
    "Description: Quarterly preventive maintenance of automatic train wash plant",
    "Tasks:\n10  Isolate power and water supply; apply LOTO\n20  Inspect brush motors and bearings; record "
    "vibration\n30  Clean nozzles and filters of the recycling unit\n40  Check chemical dosing pump "
    "calibration\n50  Trial run with an empty train set; record wash quality",
    "Labour: 2 technicians (mechanical), 1 technician (electrical); estimated 6 hours",
    "Spares: brush motor bearing 6205 (2), filter cartridge (4)",
    "Scheduled start: 2026-06-09 22:30   Scheduled finish: 2026-06-10 04:30",
], metadata={"wonum": "451907", "worktype": "PM", "siteid": "KMRL-MTM"}))
add(Doc("engineering/work-orders/work-orders-open-signalling.xlsx", "engineering", "work_order", "en", [
    "## Open WOs",
    "Open work orders - Signalling and Telecom, week 23",
    [["WO number", "Work type", "Priority", "Asset", "Description", "Assigned crew", "Target date", "Status"],
     ["448211", "CM", 2, "PM-EDP-07", "Point machine detection failure", "S&T Team B", "2026-05-18", "COMP"],
     ["448530", "PM", 3, "AXC-KLR-02", "Axle counter reset box inspection", "S&T Team A", "2026-06-06", "INPRG"],
     ["448544", "CM", 1, "RAD-VYT-01", "TETRA base station alarm", "Telecom crew", "2026-06-04", "WAPPR"],
     ["448602", "PM", 3, "PIS-MGR", "PIS display cleaning and check", "Telecom crew", "2026-06-12", "APPR"],
     ["448610", "EM", 1, "ATS-OCC", "ATS workstation reboot loop", "S&T Team A", "2026-06-05", "INPRG"]],
]))
add(Doc("engineering/work-orders/പ്രവൃത്തി-ഉത്തരവ്-ഡ്രെയിനേജ്.pdf", "engineering", "work_order", "bilingual", [
    LETTERHEAD_BI,
    "WORK ORDER / പ്രവൃത്തി ഉത്തരവ്",
    "WO No. KMRL/CIVIL/WO/2026/131, dated 29.05.2026",
    "Work: Clearing of viaduct drainage pipes and down-take chutes between Kalamassery and Pathadipalam "
    "before the monsoon. The contractor shall deploy a crew of 8 with a hydraulic platform during the night "
    "blocks of 1 to 7 June and complete the work by 7 June 2026.",
    "ജോലി: കളമശ്ശേരി മുതൽ പത്തടിപ്പാലം വരെയുള്ള വയഡക്റ്റിലെ ഡ്രെയിനേജ് പൈപ്പുകൾ മഴക്കാലത്തിന് മുമ്പ് വൃത്തിയാക്കൽ. "
    "ജൂൺ 1 മുതൽ 7 വരെ രാത്രി സമയങ്ങളിൽ ജോലി നിർവഹിക്കണം. പൂർത്തിയാക്കേണ്ട തീയതി: 07.06.2026.",
    "Assigned to: M/s Coastal Civil Works. Supervisor: Assistant Engineer (Civil), Kalamassery.",
]))
add(Doc("engineering/work-orders/urgent-WO-hvac-MG-Road.eml", "engineering", "work_order", "en", [
    "Team,",
    "Work order 452266 has been raised in Maximo with priority 1 for the HVAC unit AHU-2 at MG Road station "
    "(concourse), which tripped at 14:10 today on high-pressure fault.",
    "Please carry out the following tonight after revenue hours: check the condenser coil and fan, the "
    "refrigerant pressure and the HP switch setting; clean the filters; restart and monitor for one hour. "
    "If the compressor has to be replaced, inform me before 23:00 so that the spare can be issued from "
    "the depot store.",
    "Close the WO in Maximo with the readings and the time of completion.",
    "Assistant Manager, E&M",
], email={"subject": "WO 452266 - AHU-2 trip at MG Road - attend tonight",
          "from": "AM E&M <am.em@kmrl.co.in>", "to": "em-maintenance@kmrl.co.in"},
    metadata={"wonum": "452266", "worktype": "CM"}))

# --------------------------------------------------------------------------------------------
# operations / operations_report
# --------------------------------------------------------------------------------------------
add(Doc("operations/reports/daily-operations-report-2026-06-14.pdf", "operations", "operations_report", "en", [
    LETTERHEAD_EN,
    "DAILY OPERATIONS REPORT - Sunday, 14 June 2026",
    [["Parameter", "Planned", "Actual"], ["Train trips", "246", "244"], ["Train km", "6,125", "6,076"],
     ["Punctuality (within 2 min)", "99.5%", "99.38%"], ["Ridership", "-", "1,12,408"],
     ["Ticket revenue (Rs)", "-", "41,86,230"]],
    "Service disruptions: 2 trips cancelled between Vyttila and SN Junction at 11:20 hrs because of a "
    "point failure at Petta; single-line working for 18 minutes. Headway during the evening peak was "
    "maintained at 7 minutes.",
    "Station highlights: highest footfall at Aluva (9,812) and Edapally (9,104), due to the shopping mall "
    "sale. Lost and found: 11 items received, 8 returned to passengers.",
    "Operations Control Centre",
]))
add(Doc("operations/reports/ridership-May-2026.xlsx", "operations", "operations_report", "en", [
    "## Station-wise",
    "Monthly ridership report - May 2026",
    [["Station", "Entries", "Exits", "Average daily", "Change vs April"],
     ["Aluva", 268450, 266910, 8660, "+4.1%"], ["Edapally", 251320, 253780, 8107, "+6.3%"],
     ["MG Road", 214880, 216040, 6932, "+2.2%"], ["Vyttila", 236120, 231800, 7617, "+3.5%"],
     ["Tripunithura", 121760, 119900, 3928, "+9.8%"]],
    "## Summary",
    [["Total passengers", 3412870], ["Average daily ridership", 110093], ["Peak day", "2026-05-24 (1,38,220)"],
     ["Trips operated", 7386], ["Punctuality", "99.41%"]],
]))
add(Doc("operations/reports/പ്രവർത്തന_റിപ്പോർട്ട്_ജൂൺ.docx", "operations", "operations_report", "ml", [
    LETTERHEAD_ML,
    "പ്രതിമാസ പ്രവർത്തന റിപ്പോർട്ട് - 2026 ജൂൺ",
    "ജൂൺ മാസത്തിൽ ആകെ 7,212 ട്രിപ്പുകൾ ഓടിച്ചു. സമയനിഷ്ഠ 99.36 ശതമാനം. ശരാശരി പ്രതിദിന യാത്രക്കാരുടെ എണ്ണം "
    "1,04,560 ആയിരുന്നു; മഴ കാരണം മേയ് മാസത്തെ അപേക്ഷിച്ച് 5 ശതമാനം കുറവ്.",
    "സർവീസ് തടസ്സങ്ങൾ: ജൂൺ 9 ന് പേട്ടയിൽ സിഗ്നൽ തകരാർ മൂലം 22 മിനിറ്റ് സർവീസ് വൈകി. ജൂൺ 17 ന് ശക്തമായ കാറ്റിൽ "
    "മരക്കൊമ്പ് വീണതിനാൽ കളമശ്ശേരിക്കും ആലുവയ്ക്കും ഇടയിൽ ഒരു മണിക്കൂർ ഒറ്റവരി സർവീസ് നടത്തി.",
    "ഫീഡർ ബസ് സർവീസുകൾ 1,84,000 യാത്രക്കാരെ വഹിച്ചു. ടിക്കറ്റ് വരുമാനം 12.4 കോടി രൂപ.",
    "ഓപ്പറേഷൻസ് വിഭാഗം",
]))
add(Doc("operations/reports/weekly-service-performance-wk24.pptx", "operations", "operations_report", "en", [
    "# Weekly service performance - week 24",
    "Operations department review, 8 to 14 June 2026",
    "# Key figures",
    "Trips: 1,716 planned, 1,712 operated",
    "Punctuality 99.42%, service availability 99.9%",
    "Average weekday ridership 1,09,800",
    "# Disruptions",
    "Point failure at Petta on 14 June - 2 trips cancelled",
    "Door fault on TS-11 at Kaloor - train withdrawn, 6 minutes delay",
    "# Actions",
    "Additional trains in the evening peak from 15 June (headway 6.5 min)",
]))
add(Doc("operations/reports/station-footfall-hourly.csv", "operations", "operations_report", "en", [
    [["Date", "Hour", "Aluva", "Kalamassery", "Edapally", "Kaloor", "MG Road", "Vyttila", "Tripunithura", "Total"],
     ["2026-06-10", "07-08", "812", "355", "690", "401", "522", "744", "298", "3822"],
     ["2026-06-10", "08-09", "1104", "498", "951", "612", "803", "1022", "410", "5400"],
     ["2026-06-10", "09-10", "906", "421", "842", "577", "765", "880", "366", "4757"],
     ["2026-06-10", "17-18", "688", "402", "1015", "702", "1133", "968", "344", "5252"],
     ["2026-06-10", "18-19", "744", "455", "1187", "690", "1208", "1041", "372", "5697"]],
]))
add(Doc("operations/reports/ops-report-onam-special-services.eml", "operations", "operations_report", "bilingual", [
    "Sir,",
    "Report on the special services operated during Onam (4 to 7 September 2026):",
    "Extra trips: 64, with services extended till 23:30 hrs. Ridership over the four days: 5,86,420, the "
    "highest ever for a four-day period. Punctuality 99.1%. Crowd control was arranged at Vyttila and "
    "Edapally with additional staff; no incidents reported.",
    "ഓണാഘോഷ ദിവസങ്ങളിൽ 64 അധിക ട്രിപ്പുകൾ ഓടിച്ചു. നാല് ദിവസങ്ങളിലായി 5,86,420 പേർ യാത്ര ചെയ്തു; ഇത് ഇതുവരെയുള്ള "
    "ഏറ്റവും ഉയർന്ന കണക്കാണ്. വൈറ്റില, ഇടപ്പള്ളി സ്റ്റേഷനുകളിൽ തിരക്ക് നിയന്ത്രിക്കാൻ കൂടുതൽ ജീവനക്കാരെ വിന്യസിച്ചു.",
    "General Manager (Operations)",
], email={"subject": "Report - Onam special services / ഓണം പ്രത്യേക സർവീസ് റിപ്പോർട്ട്",
          "from": "GM Operations <gm.operations@kmrl.co.in>", "to": "md@kmrl.co.in"}))

# --------------------------------------------------------------------------------------------
# executive / board_minutes
# --------------------------------------------------------------------------------------------
add(Doc("executive/board/Minutes_62nd_Board_Meeting.docx", "executive", "board_minutes", "en", [
    LETTERHEAD_EN,
    "MINUTES OF THE 62nd MEETING OF THE BOARD OF DIRECTORS",
    "held on Friday, 20 March 2026 at 11:00 hrs at the Board Room, Kaloor",
    "Present: Secretary, MoHUA (Chairman); Managing Director; Director (Finance); Director (Projects); "
    "Director (Systems); two nominee directors of the Government of Kerala; one independent director.\n"
    "In attendance: Company Secretary; Chief Vigilance Officer. Leave of absence was granted to one director.",
    "Item 62.1 Confirmation of the minutes of the 61st meeting. The minutes were confirmed.",
    "Item 62.2 Action taken report. The Board noted the action taken on the decisions of earlier meetings.",
    "Item 62.3 Budget estimate 2026-27. The Board approved the budget estimate and RESOLVED THAT the "
    "Managing Director be authorised to re-appropriate funds within the approved total.",
    "Item 62.4 Award of contract for the Kakkanad viaduct (package KE-02). After discussion, the Board "
    "approved the award to the lowest bidder.",
    "The meeting ended with a vote of thanks to the Chair.",
    "Company Secretary",
]))
add(Doc("executive/board/ഡയറക്ടർ_ബോർഡ്_യോഗം_മിനിറ്റ്സ്.pdf", "executive", "board_minutes", "ml", [
    LETTERHEAD_ML,
    "ഡയറക്ടർ ബോർഡിന്റെ 63-ാമത് യോഗത്തിന്റെ മിനിറ്റ്സ്",
    "തീയതി: 2026 ജൂൺ 26, രാവിലെ 11 മണി\nസ്ഥലം: ബോർഡ് റൂം, കലൂർ",
    "ഹാജരായവർ: ചെയർമാൻ, മാനേജിങ് ഡയറക്ടർ, ഡയറക്ടർ (ധനകാര്യം), ഡയറക്ടർ (പ്രോജക്ട്സ്), സംസ്ഥാന സർക്കാരിന്റെ രണ്ട് "
    "നോമിനി ഡയറക്ടർമാർ. കമ്പനി സെക്രട്ടറി യോഗത്തിൽ പങ്കെടുത്തു.",
    "അജണ്ട 63.1: കഴിഞ്ഞ യോഗത്തിന്റെ മിനിറ്റ്സ് അംഗീകരിച്ചു.",
    "അജണ്ട 63.2: 2025-26 ലെ ഓഡിറ്റ് ചെയ്ത സാമ്പത്തിക പ്രസ്താവനകൾ ബോർഡ് പരിഗണിച്ച് അംഗീകരിച്ചു. വാർഷിക പൊതുയോഗം "
    "സെപ്റ്റംബറിൽ വിളിച്ചുചേർക്കാൻ തീരുമാനിച്ചു.",
    "അജണ്ട 63.3: വാട്ടർ മെട്രോയുടെ പത്ത് പുതിയ ബോട്ടുകൾ വാങ്ങുന്നതിനുള്ള നിർദ്ദേശം ബോർഡ് അംഗീകരിച്ചു. ഇതിനായി "
    "മാനേജിങ് ഡയറക്ടറെ ചുമതലപ്പെടുത്തി പ്രമേയം പാസാക്കി.",
    "ചെയർമാന് നന്ദി രേഖപ്പെടുത്തി യോഗം അവസാനിച്ചു.",
    "കമ്പനി സെക്രട്ടറി",
]))
add(Doc("executive/board/audit-committee-minutes-Q4.pdf", "executive", "board_minutes", "en", [
    LETTERHEAD_EN,
    "Minutes of the 28th meeting of the Audit Committee of the Board",
    "Date: 14 May 2026. Chairperson: Independent Director. Members present: two directors. Invitees: "
    "Director (Finance), statutory auditors, internal auditors. The Company Secretary acted as secretary "
    "to the committee. Quorum was present.",
    "1. The committee reviewed the quarterly financial results for the quarter ended 31 March 2026 and "
    "recommended them to the Board for approval.",
    "2. The internal audit report on stores and inventory was discussed. The committee directed management "
    "to complete the physical verification of depot stores by 30 June and report the variances at the next "
    "meeting.",
    "3. The committee noted the status of compliance with the observations of the Comptroller and Auditor "
    "General.",
    "The meeting concluded at 13:05 hrs.",
]))
add(Doc("executive/board/AGM-minutes-2025.txt", "executive", "board_minutes", "bilingual", [
    "MINUTES OF THE 9th ANNUAL GENERAL MEETING / 9-ാമത് വാർഷിക പൊതുയോഗത്തിന്റെ മിനിറ്റ്സ്",
    "Held on 26 September 2025 at the registered office, Kaloor. Shareholders present through their "
    "authorised representatives: Government of India and Government of Kerala. The Chairman took the "
    "chair and, the quorum being present, called the meeting to order.",
    "Resolutions passed: (1) adoption of the audited financial statements for 2024-25; (2) fixing the "
    "remuneration of the statutory auditors appointed by the CAG; (3) appointment of a director retiring by "
    "rotation.",
    "ഓഹരി ഉടമകളായ കേന്ദ്ര, സംസ്ഥാന സർക്കാരുകളുടെ പ്രതിനിധികൾ യോഗത്തിൽ പങ്കെടുത്തു. 2024-25 ലെ സാമ്പത്തിക "
    "പ്രസ്താവനകൾ അംഗീകരിക്കൽ, ഓഡിറ്റർമാരുടെ പ്രതിഫലം നിശ്ചയിക്കൽ, ഡയറക്ടറുടെ പുനർനിയമനം എന്നീ പ്രമേയങ്ങൾ "
    "യോഗം പാസാക്കി.",
    "Company Secretary / കമ്പനി സെക്രട്ടറി",
]))
add(Doc("executive/board/management-committee-minutes-june.docx", "executive", "board_minutes", "en", [
    "Kochi Metro Rail Limited - Minutes of the Management Committee meeting held on 3 June 2026",
    "Chaired by: Managing Director. Present: Directors, General Managers of all departments.",
    "1. Review of the decisions of the last meeting: 14 of 17 action points closed.",
    "2. Phase 2 progress: land acquisition for the Kakkanad extension 92% complete; viaduct work started at "
    "three locations. Decision: weekly review by Director (Projects) until the piling targets are met.",
    "3. Non-fare revenue: the committee decided to invite expressions of interest for station branding "
    "rights at five stations.",
    "4. Any other business: the date of the next meeting was fixed as 1 July 2026.",
    "Minutes recorded by the Company Secretary and approved by the Managing Director.",
]))
add(Doc("executive/board/ബോർഡ്-യോഗം-അജണ്ട-നടപടി.docx", "executive", "board_minutes", "ml", [
    LETTERHEAD_ML,
    "ബോർഡ് യോഗത്തിന്റെ തീരുമാനങ്ങൾ - നടപടി റിപ്പോർട്ട്",
    "2026 മാർച്ച് 20 ന് നടന്ന ഡയറക്ടർ ബോർഡിന്റെ 62-ാമത് യോഗത്തിൽ എടുത്ത തീരുമാനങ്ങളും അവയിൽ സ്വീകരിച്ച നടപടികളും:",
    [["അജണ്ട", "തീരുമാനം", "നടപടി", "സ്ഥിതി"],
     ["62.3", "2026-27 ബജറ്റ് എസ്റ്റിമേറ്റ് അംഗീകരിച്ചു", "ധനകാര്യ വിഭാഗം അറിയിച്ചു", "പൂർത്തിയായി"],
     ["62.4", "കാക്കനാട് വയഡക്റ്റ് കരാർ നൽകാൻ തീരുമാനിച്ചു", "കരാർ ഒപ്പുവച്ചു", "പൂർത്തിയായി"],
     ["62.5", "പുതിയ ഫീഡർ ബസ് റൂട്ടുകൾ പഠിക്കാൻ സമിതി", "സമിതി രൂപീകരിച്ചു", "പുരോഗമിക്കുന്നു"]],
    "അടുത്ത ബോർഡ് യോഗത്തിൽ ഈ റിപ്പോർട്ട് അവതരിപ്പിക്കും.",
    "കമ്പനി സെക്രട്ടറി",
]))

# --------------------------------------------------------------------------------------------
# executive / regulatory_notice
# --------------------------------------------------------------------------------------------
add(Doc("executive/regulatory/CMRS-authorisation-Kakkanad-section.pdf", "executive", "regulatory_notice", "en", [
    "GOVERNMENT OF INDIA\nMINISTRY OF CIVIL AVIATION\nCOMMISSION OF RAILWAY SAFETY\n"
    "Office of the Commissioner of Metro Rail Safety, Southern Circle, Bengaluru",
    "No. CMRS/SC/KMRL/2026/117                                   Date: 04.08.2026",
    "To: The Managing Director, Kochi Metro Rail Limited, Kochi",
    "Sub: Authorisation for opening of the Kakkanad extension (SN Junction - Infopark) for public carriage "
    "of passengers.",
    "In exercise of the powers conferred under Section 15 of the Metro Railways (Operation and Maintenance) "
    "Act, 2002, I hereby authorise the opening of the above section for passenger services subject to the "
    "following conditions: (1) the speed restriction of 35 km/h on the curve between chainage 2+100 and "
    "2+600 shall remain until the track geometry is corrected; (2) the pending fire clearance for the "
    "Infopark station shall be obtained within 60 days; (3) compliance with these conditions shall be "
    "reported to this office.",
    "Commissioner of Metro Rail Safety",
]))
add(Doc("executive/regulatory/MoHUA-advisory-accessibility.eml", "executive", "regulatory_notice", "en", [
    "Sir/Madam,",
    "Ministry of Housing and Urban Affairs, Government of India, has issued the revised Harmonised "
    "Guidelines and Standards for universal accessibility in metro rail systems (2026). All metro rail "
    "companies are directed to carry out an accessibility audit of their stations and submit a compliance "
    "report within 120 days.",
    "The guidelines cover tactile paths, lifts with audio announcements, accessible toilets, ticket counters "
    "at wheelchair height and trained staff at every station. Non-compliance will be reviewed in the next "
    "meeting of the Ministry with the MDs of metro companies.",
    "This issues with the approval of the competent authority.",
    "Under Secretary (Urban Transport), MoHUA",
], email={"subject": "Advisory: Harmonised guidelines on accessibility in metro rail - compliance report",
          "from": "Under Secretary UT <us-ut@mohua.gov.in>", "to": "md@kmrl.co.in"}))
add(Doc("executive/regulatory/PCB-consent-renewal-Muttom-depot.pdf", "executive", "regulatory_notice", "en", [
    "KERALA STATE POLLUTION CONTROL BOARD\nDistrict Office, Ernakulam",
    "Consent to Operate - renewal\nNo. PCB/EKM/CTO/2026/4412    Date: 17.03.2026",
    "Consent is hereby renewed under Section 25 of the Water (Prevention and Control of Pollution) Act, "
    "1974 and Section 21 of the Air (Prevention and Control of Pollution) Act, 1981 to Kochi Metro Rail "
    "Limited for the operation of the Muttom depot, valid up to 31.03.2029, subject to the following "
    "conditions:",
    "1. The effluent treatment plant shall be operated continuously and treated water shall meet the "
    "standards notified. 2. Hazardous waste (used oil, batteries) shall be handed over only to authorised "
    "recyclers and the annual return filed by 30 June. 3. Any violation will attract action under the Acts.",
    "Environmental Engineer",
]))
add(Doc("executive/regulatory/ഗസറ്റ്_വിജ്ഞാപനം_യാത്രാനിരക്ക്.pdf", "executive", "regulatory_notice", "ml", [
    "കേരള സർക്കാർ\nകേരള ഗസറ്റ്\nഅസാധാരണം",
    "വിജ്ഞാപനം",
    "നമ്പർ ഗതാഗതം/1182/2026                                  തിരുവനന്തപുരം, 2026 ജൂലൈ 1",
    "മെട്രോ റെയിൽവേ (പ്രവർത്തനവും പരിപാലനവും) നിയമം, 2002 പ്രകാരം രൂപീകരിച്ച യാത്രാനിരക്ക് നിർണയ സമിതിയുടെ "
    "ശുപാർശ പരിഗണിച്ച്, കൊച്ചി മെട്രോയുടെ പുതുക്കിയ യാത്രാനിരക്കുകൾ 2026 ഓഗസ്റ്റ് 1 മുതൽ പ്രാബല്യത്തിൽ വരുത്തി "
    "സർക്കാർ ഇതിനാൽ വിജ്ഞാപനം ചെയ്യുന്നു. കുറഞ്ഞ നിരക്ക് 10 രൂപയും കൂടിയ നിരക്ക് 60 രൂപയുമായിരിക്കും.",
    "ഗവർണറുടെ ഉത്തരവിൻ പ്രകാരം\nഅഡീഷണൽ ചീഫ് സെക്രട്ടറി, ഗതാഗത വകുപ്പ്",
]))
add(Doc("executive/regulatory/electrical-inspectorate-notice.txt", "executive", "regulatory_notice", "bilingual", [
    "GOVERNMENT OF KERALA - ELECTRICAL INSPECTORATE / കേരള സർക്കാർ - ഇലക്ട്രിക്കൽ ഇൻസ്പെക്ടറേറ്റ്",
    "Notice No. EI/EKM/2026/338 dated 10.04.2026",
    "Under Regulation 30 of the Central Electricity Authority (Measures relating to Safety and Electric "
    "Supply) Regulations, 2023, the periodical inspection of the HT installations of Kochi Metro Rail "
    "Limited is due. The licensee shall pay the inspection fee and keep the test records ready for "
    "verification on 28.04.2026.",
    "കേന്ദ്ര വൈദ്യുതി അതോറിറ്റി ചട്ടങ്ങൾ പ്രകാരം കൊച്ചി മെട്രോയുടെ എച്ച്ടി ഇൻസ്റ്റലേഷനുകളുടെ ആനുകാലിക പരിശോധന "
    "നടത്തേണ്ടതാണ്. പരിശോധനാ ഫീസ് അടച്ച് ടെസ്റ്റ് രേഖകൾ 28.04.2026 ന് പരിശോധനയ്ക്കായി തയ്യാറാക്കി വയ്ക്കണം.",
    "Deputy Chief Electrical Inspector / ഡെപ്യൂട്ടി ചീഫ് ഇലക്ട്രിക്കൽ ഇൻസ്പെക്ടർ",
]))
add(Doc("executive/regulatory/തൊഴിൽ_വകുപ്പ്_അറിയിപ്പ്.docx", "executive", "regulatory_notice", "ml", [
    "കേരള സർക്കാർ\nതൊഴിൽ വകുപ്പ്\nജില്ലാ ലേബർ ഓഫീസ്, എറണാകുളം",
    "നോട്ടീസ്",
    "നമ്പർ: ഡിഎൽഒ/ഇകെഎം/2026/902\nതീയതി: 15.05.2026",
    "കരാർ തൊഴിൽ (നിയന്ത്രണവും നിർത്തലാക്കലും) നിയമപ്രകാരം കരാർ തൊഴിലാളികളെ നിയോഗിക്കുന്ന സ്ഥാപനങ്ങൾ "
    "രജിസ്ട്രേഷൻ സർട്ടിഫിക്കറ്റ് പുതുക്കേണ്ടതാണ്. കൊച്ചി മെട്രോ റെയിൽ ലിമിറ്റഡിന്റെ രജിസ്ട്രേഷൻ 2026 ജൂൺ 30 ന് "
    "അവസാനിക്കുന്നതിനാൽ ആവശ്യമായ രേഖകൾ സഹിതം അപേക്ഷ സമർപ്പിക്കണം. കരാറുകാരുടെ ലൈസൻസ് വിവരങ്ങളും തൊഴിലാളികളുടെ "
    "വേതന രജിസ്റ്ററും ഹാജരാക്കണം. വീഴ്ച വരുത്തിയാൽ നിയമനടപടി സ്വീകരിക്കും.",
    "ജില്ലാ ലേബർ ഓഫീസർ",
]))

# --------------------------------------------------------------------------------------------
# other (any department, or none)
# --------------------------------------------------------------------------------------------
add(Doc("misc/press-release-water-metro-anniversary.docx", "executive", "other", "en", [
    "PRESS RELEASE",
    "Kochi Water Metro completes three years; 50 lakh passengers carried",
    "Kochi, 25 April 2026: Kochi Water Metro, operated by Kochi Metro Rail Limited, completed three years of "
    "service today. Since its launch in April 2023 the electric-hybrid boats have carried over 50 lakh "
    "passengers on seven routes connecting the islands of Kochi. The Managing Director thanked the people "
    "of Kochi and said that ten new boats and four terminals will be added this year.",
    "The water metro has attracted delegations from several cities in India and abroad interested in "
    "replicating the model.",
    "For media queries: Public Relations, KMRL",
]))
add(Doc("misc/canteen-menu-june.xlsx", "hr", "other", "en", [
    "## Menu",
    "Staff canteen, Muttom depot - menu for June 2026 (subsidised rates)",
    [["Day", "Breakfast", "Lunch", "Evening snack"],
     ["Monday", "Idli, sambar", "Meals with fish curry", "Banana fry, tea"],
     ["Tuesday", "Puttu, kadala curry", "Vegetable meals", "Samosa, tea"],
     ["Wednesday", "Appam, stew", "Chicken biriyani", "Uzhunnu vada, tea"],
     ["Thursday", "Upma", "Meals with egg roast", "Cutlet, tea"],
     ["Friday", "Dosa, chutney", "Vegetable biriyani", "Pazham pori, tea"]],
    "Suggestions may be dropped in the box near the counter.",
]))
add(Doc("misc/ലോസ്റ്റ്-ആൻഡ്-ഫൗണ്ട്-അറിയിപ്പ്.txt", "operations", "other", "ml", [
    "അറിയിപ്പ്",
    "കൊച്ചി മെട്രോ സ്റ്റേഷനുകളിൽ നിന്നും ട്രെയിനുകളിൽ നിന്നും കണ്ടെടുക്കുന്ന സാധനങ്ങൾ ആലുവ സ്റ്റേഷനിലെ കസ്റ്റമർ കെയർ "
    "കേന്ദ്രത്തിൽ സൂക്ഷിക്കുന്നതാണ്. ഉടമസ്ഥർക്ക് തിരിച്ചറിയൽ രേഖ ഹാജരാക്കി 30 ദിവസത്തിനകം സാധനങ്ങൾ കൈപ്പറ്റാം. "
    "കൂടുതൽ വിവരങ്ങൾക്ക് 1800 425 0355 എന്ന നമ്പറിൽ വിളിക്കുക.",
]))
add(Doc("misc/newsletter-metro-voice-issue-18.pdf", "unknown", "other", "en", [
    "METRO VOICE - In-house newsletter, Issue 18, July 2026",
    "From the editor's desk: this issue celebrates our colleagues who ran the Kochi marathon, the winners "
    "of the station beautification contest and the launch of the new staff library at Kaloor.",
    "People: welcome to the 34 new colleagues who joined in July. Congratulations to the depot cricket team "
    "on winning the inter-PSU tournament.",
    "Photo feature: the monsoon over the Vembanad lake from a water metro boat.",
    "Write to us: send your stories, poems and photographs for the next issue.",
]))
add(Doc("misc/RTI-reply-parking-contract.eml", "executive", "other", "bilingual", [
    "Sir,",
    "Please refer to your application under the Right to Information Act received on 2 June 2026 seeking "
    "details of the parking contract at Aluva station. The information sought is furnished below: the "
    "contract was awarded through open e-tender to M/s Metro Park Solutions for three years from 1 January "
    "2025. A copy of the agreement (18 pages) can be provided on payment of Rs 36.",
    "താങ്കളുടെ വിവരാവകാശ അപേക്ഷയ്ക്കുള്ള മറുപടി: ആലുവ സ്റ്റേഷനിലെ പാർക്കിങ് കരാർ ഇ-ടെൻഡർ വഴി മൂന്ന് വർഷത്തേക്ക് "
    "നൽകിയതാണ്. കരാറിന്റെ പകർപ്പ് 36 രൂപ അടച്ചാൽ ലഭ്യമാക്കും. മറുപടിയിൽ തൃപ്തനല്ലെങ്കിൽ 30 ദിവസത്തിനകം അപ്പീൽ "
    "അധികാരിക്ക് അപ്പീൽ നൽകാം.",
    "Public Information Officer, KMRL",
], email={"subject": "Reply to RTI application No. KMRL/RTI/2026/233 / വിവരാവകാശ മറുപടി",
          "from": "Public Information Officer <pio@kmrl.co.in>", "to": "anil.varghese@example.com"}))
add(Doc("misc/onam-celebration-invitation.pptx", "hr", "other", "ml", [
    "# ഓണാഘോഷം 2026",
    "കൊച്ചി മെട്രോ സ്റ്റാഫ് ക്ലബ്",
    "# പരിപാടികൾ",
    "സെപ്റ്റംബർ 2 ന് രാവിലെ 10 മണിക്ക് പൂക്കള മത്സരം",
    "ഉച്ചയ്ക്ക് ഓണസദ്യ",
    "വൈകിട്ട് വടംവലി, കലാപരിപാടികൾ",
    "# എല്ലാവർക്കും സ്വാഗതം",
    "കുടുംബാംഗങ്ങൾക്കും പങ്കെടുക്കാം",
]))

# --------------------------------------------------------------------------------------------
# Documents whose department is not the usual one for their category
# --------------------------------------------------------------------------------------------
add(Doc("safety/training/fire-warden-training-notice.pdf", "safety", "training_notice", "en", [
    LETTERHEAD_EN,
    "SAFETY DEPARTMENT - TRAINING NOTICE",
    "Fire warden training for station and depot staff",
    "The Safety Department will conduct a one-day fire warden training programme in association with the "
    "Kerala Fire and Rescue Services on 22 and 29 August 2026 at the Muttom depot. The programme covers "
    "fire prevention, use of extinguishers and hose reels, evacuation of passengers and the role of the "
    "fire warden during emergencies, with a live fire demonstration.",
    "Each station manager shall nominate two fire wardens per shift. Nominations to the Chief Safety "
    "Officer by 14 August.",
    "Chief Safety Officer",
]))
add(Doc("operations/incidents/service-disruption-report-Petta.docx", "operations", "incident_report", "en", [
    "OPERATIONS CONTROL CENTRE - SERVICE DISRUPTION REPORT",
    "Date of occurrence: 14.06.2026   Time: 11:20 to 11:38 hrs   Location: Petta crossover",
    "Sequence of events: At 11:20 the point at Petta failed to set in the normal position for the "
    "Tripunithura-bound train. The OCC stopped the approaching trains, implemented single-line working "
    "between Vyttila and SN Junction and cancelled 2 trips. Passengers were informed through announcements "
    "and the mobile app. Normal service resumed at 11:38 after the signalling staff restored the point.",
    "Impact: 2 trips cancelled, 9 trains delayed by 3 to 8 minutes, about 2,400 passengers affected.",
    "Root cause (preliminary): loose detection contact. Detailed investigation by the signalling department.",
    "Chief Controller, OCC",
]))
add(Doc("engineering/purchase/indent-PO-request-spares.docx", "engineering", "purchase_order", "en", [
    "ROLLING STOCK DEPARTMENT - PURCHASE ORDER (LOCAL PURCHASE)",
    "LPO No. KMRL/RS/LPO/2026/061      Date: 11.06.2026",
    "To: M/s Bharath Bearings, Kalamassery",
    "Please supply the following spares for the maintenance of the train wash plant and the pit wheel "
    "lathe at the Muttom depot against your quotation dated 8 June 2026:",
    [["Item", "Part number", "Qty", "Unit price (Rs)", "Amount (Rs)"],
     ["Deep groove ball bearing", "6205-2RS", "20", "310", "6,200"],
     ["Taper roller bearing", "32212", "8", "2,450", "19,600"], ["V-belt", "B-68", "12", "420", "5,040"]],
    "Delivery: within 7 days to the rolling stock stores. Payment after receipt and inspection.",
    "Section Engineer (Rolling Stock)",
]))
